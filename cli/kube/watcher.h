// Watcher: the informer pattern in small. It lists a collection, reports every
// item, then watches from the list's resourceVersion:
// - a watch the server ends (timeoutSeconds, a restart) resumes from the last
//   resourceVersion seen, bookmarks included;
// - 410 Gone, as an HTTP status or as an ERROR event, means that version left
//   etcd's history: it lists again and reports the differences against what it
//   knew (ADDED, MODIFIED, DELETED marked synthetic), so no update is lost, then
//   watches from the new list's version.
// - any other ERROR event is reported as a warning (RestClient::Warn) and the
//   watch goes on, as kubectl's does.
// It runs until the handler says stop, an error, or the deadline. The first
// list always runs, even when the deadline has already passed (a zero timeout
// means "check once").
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "kube/rest_client.h"
#include "util/clock.h"
#include "util/result.h"

namespace llm::kube {

enum class WatchEventType {
  kAdded,
  kModified,
  kDeleted,
  kBookmark,
  kSynced,  ///< every item of a list (first or relist) has been reported; `object` is empty
};

struct WatchEvent {
  WatchEventType type = WatchEventType::kAdded;
  nlohmann::json object;
  /// True when the event comes from a list (the first one or a relist after 410)
  /// rather than from the watch stream.
  bool synthetic = false;
};

struct WatchOptions {
  std::string label_selector;
  std::string field_selector;
  /// When to give up; Run() then fails with ErrorKind::kTimeout.
  std::optional<std::chrono::system_clock::time_point> deadline;
  /// Longest single watch request; the server closes it and the watcher resumes.
  std::chrono::seconds max_watch_duration = std::chrono::minutes(5);
  /// Consecutive failed requests (no event in between) before giving up.
  int max_failures = 5;
  std::chrono::milliseconds initial_backoff{200};
  /// Asked before each list or watch request, and while a watch request is
  /// open (HttpRequest::cancelled); true ends Run() with Ok. A watch with no
  /// events never calls the handler, so this is how another thread ends it:
  /// within about a second on the real transport.
  std::function<bool()> stop_requested;
  /// Cuts each object down to what the handler needs, before the handler sees
  /// it and before the watcher remembers it (list pages as they arrive, and
  /// watch events): watching 10,000 Nodes then costs their names, not their
  /// statuses. Keep metadata.name, namespace and resourceVersion. Empty: whole objects.
  std::function<void(nlohmann::json& object)> transform;
};

/// Returns true to keep watching, false to stop; an Error stops Run() with it.
using WatchHandler = std::function<Result<bool>(const WatchEvent& event)>;

class Watcher {
 public:
  /// `collection` names a resource collection (no name); ns "" means all namespaces.
  Watcher(RestClient& client, Clock& clock, ResourceRef collection, WatchOptions options);

  Status Run(const WatchHandler& handler);

  /// How many lists ran (1 + relists), for tests and -v output.
  int lists() const { return lists_; }
  const std::string& resource_version() const { return resource_version_; }

 private:
  enum class StreamEnd { kStopped, kClosed, kExpired };
  Result<bool> ListAndReport(const WatchHandler& handler);
  Result<StreamEnd> WatchOnce(const WatchHandler& handler);
  Result<bool> HandleEvent(nlohmann::json event, const WatchHandler& handler, bool* expired);
  std::chrono::seconds WatchSeconds() const;
  std::string WatchPath(std::chrono::seconds seconds) const;
  bool Expired() const;

  RestClient& client_;
  Clock& clock_;
  ResourceRef collection_;
  WatchOptions options_;
  std::map<std::string, nlohmann::json> known_;  ///< "namespace/name" -> last object seen
  std::string resource_version_;
  int lists_ = 0;
  bool handler_failed_ = false;  ///< the last error came from the handler: never retried
  bool events_seen_ = false;     ///< the current watch request delivered at least one event (not ERROR)
  std::string error_event_;      ///< the last non-410 ERROR event of the current watch request, reported
};

}  // namespace llm::kube

#include "kube/watcher.h"

#include <algorithm>

#include <fmt/format.h>

#include "kube/api_status.h"
#include "kube/object_fields.h"
#include "kube/transport.h"
#include "kube/url_query.h"
#include "kube/watch_framer.h"

namespace llm::kube {
namespace {
using nlohmann::json;

// A watch is bounded by the server's timeoutSeconds; the client limit is only a
// guard against a half-open connection, so it must never cut a healthy watch short.
constexpr std::chrono::seconds kClientGrace{15};

// Neither copies the object's metadata (json::value would): both run on every
// watch event and listed item, and a pod's metadata is most of its size.
std::string KeyOf(const json& object) { return NamespaceOf(object) + "/" + NameOf(object); }

std::string VersionOfObject(const json& object) { return StringAt(object, {"metadata", "resourceVersion"}); }

bool IsPermanent(const Error& error) {
  switch (error.kind()) {
    case ErrorKind::kUnauthorized:
    case ErrorKind::kForbidden:
    case ErrorKind::kNotFound:
    case ErrorKind::kInvalid:
    case ErrorKind::kInvalidInput:
    case ErrorKind::kUsage:
    case ErrorKind::kInternal:
      return true;
    default:
      return false;
  }
}

std::string StatusMessage(const json& status) {
  std::string reason = status.value("reason", "");
  std::string message = status.value("message", "");
  return reason.empty() ? "Error from server: " + message : "Error from server (" + reason + "): " + message;
}
}  // namespace

Watcher::Watcher(RestClient& client, Clock& clock, ResourceRef collection, WatchOptions options)
    : client_(client), clock_(clock), collection_(std::move(collection)), options_(std::move(options)) {}

bool Watcher::Expired() const { return options_.deadline && clock_.Now() >= *options_.deadline; }

std::chrono::seconds Watcher::WatchSeconds() const {
  auto seconds = options_.max_watch_duration;
  if (options_.deadline) {
    auto remaining = std::chrono::ceil<std::chrono::seconds>(*options_.deadline - clock_.Now());
    seconds = std::clamp(remaining, std::chrono::seconds(1), seconds);
  }
  return seconds;
}

std::string Watcher::WatchPath(std::chrono::seconds seconds) const {
  std::string path = collection_.Path() + "?watch=1&allowWatchBookmarks=true";
  path += "&resourceVersion=" + PercentEncode(resource_version_);
  path += fmt::format("&timeoutSeconds={}", seconds.count());
  if (!options_.label_selector.empty()) path += "&labelSelector=" + PercentEncode(options_.label_selector);
  if (!options_.field_selector.empty()) path += "&fieldSelector=" + PercentEncode(options_.field_selector);
  return path;
}

Result<bool> Watcher::ListAndReport(const WatchHandler& handler) {
  ListOptions list_options;
  list_options.label_selector = options_.label_selector;
  list_options.field_selector = options_.field_selector;
  if (options_.transform) {
    list_options.keep_item = [this](json& item) {
      options_.transform(item);
      return true;
    };
  }
  auto list = client_.List(collection_, list_options);
  if (!list.ok()) return list.error().WithContext("listing " + collection_.GroupResource());
  ++lists_;
  std::map<std::string, json> current;
  std::vector<WatchEvent> events;
  // Handlers (rollout status) need each item's kind, as watch events carry it.
  FillItemKinds(*list);
  if (auto items = list->find("items"); items != list->end() && items->is_array()) {
    for (json& item : *items) {
      if (!item.is_object()) continue;
      const std::string key = KeyOf(item);
      auto known = known_.find(key);
      if (known == known_.end()) {
        events.push_back({WatchEventType::kAdded, item, true});
      } else if (VersionOfObject(known->second) != VersionOfObject(item)) {
        events.push_back({WatchEventType::kModified, item, true});
      }
      current[key] = std::move(item);
    }
  }
  for (const auto& [key, object] : known_) {
    if (current.count(key) == 0) events.push_back({WatchEventType::kDeleted, object, true});
  }
  known_ = std::move(current);
  resource_version_ = VersionOfObject(*list);
  events.push_back({WatchEventType::kSynced, json::object(), true});
  for (const WatchEvent& event : events) {
    auto keep = handler(event);
    if (!keep.ok()) {
      handler_failed_ = true;
      return keep.error();
    }
    if (!*keep) return false;
  }
  return true;
}

Result<bool> Watcher::HandleEvent(json event, const WatchHandler& handler, bool* expired) {
  const std::string type = event.value("type", "");
  // Moved out, not copied: the event is parsed for this call alone.
  json object = event.contains("object") ? std::move(event["object"]) : json::object();
  if (type == "ERROR") {
    const json& status = object.is_object() ? object : json::object();
    if (status.value("code", 0) == 410) {
      *expired = true;
      return true;
    }
    // kubectl reports any other error and goes on watching (client-go's
    // reflector logs it and watches again from the last version): the stream
    // may still deliver, and when it ends the watch resumes as usual.
    error_event_ = StatusMessage(status);
    client_.Warn("watching " + collection_.GroupResource() + ": " + error_event_);
    return true;
  }
  WatchEvent out;
  if (type == "ADDED")
    out.type = WatchEventType::kAdded;
  else if (type == "MODIFIED")
    out.type = WatchEventType::kModified;
  else if (type == "DELETED")
    out.type = WatchEventType::kDeleted;
  else if (type == "BOOKMARK")
    out.type = WatchEventType::kBookmark;
  else
    return Error(ErrorKind::kServer, "malformed watch event: unknown type \"" + type + "\"");
  if (!object.is_object()) return Error(ErrorKind::kServer, "malformed watch event: no object");
  const std::string version = VersionOfObject(object);
  if (!version.empty()) resource_version_ = version;
  out.object = std::move(object);
  if (options_.transform && out.type != WatchEventType::kBookmark) options_.transform(out.object);
  if (out.type == WatchEventType::kDeleted)
    known_.erase(KeyOf(out.object));
  else if (out.type != WatchEventType::kBookmark)
    known_[KeyOf(out.object)] = out.object;
  auto keep = handler(out);
  if (!keep.ok()) handler_failed_ = true;
  return keep;
}

Result<Watcher::StreamEnd> Watcher::WatchOnce(const WatchHandler& handler) {
  WatchFramer framer;
  error_event_.clear();
  bool stopped = false;
  bool expired = false;
  std::optional<Error> failure;
  HttpRequest request;
  const std::chrono::seconds seconds = WatchSeconds();
  request.path = WatchPath(seconds);
  request.headers = {{"Accept", "application/json"}};
  request.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(seconds + kClientGrace);
  request.cancelled = options_.stop_requested;
  const auto started = clock_.Now();

  bool closed = false;  // once the sink said stop, later chunks are ignored
  const ChunkSink sink = [&](std::string_view chunk) {
    if (closed) return false;
    Status fed = framer.Feed(chunk, [&](std::string_view document) -> Status {
      if (stopped || expired) return Ok();
      json event = json::parse(document, nullptr, /*allow_exceptions=*/false);
      if (event.is_discarded() || !event.is_object()) {
        return Error(ErrorKind::kServer, "malformed watch event: not a JSON object");
      }
      const bool error_event = event.value("type", "") == "ERROR";
      auto keep = HandleEvent(std::move(event), handler, &expired);
      if (!keep.ok()) return keep.error();
      events_seen_ = events_seen_ || !error_event;
      stopped = !*keep;
      return Ok();
    });
    if (!fed.ok()) failure = fed.error();
    closed = failure || stopped || expired || Expired();
    return !closed;
  };
  auto response = client_.Stream(std::move(request), sink);
  if (failure) return *failure;
  if (stopped || (options_.stop_requested && options_.stop_requested())) return StreamEnd::kStopped;
  if (expired) return StreamEnd::kExpired;
  if (!response.ok()) {
    if (IsResourceExpired(response.error())) return StreamEnd::kExpired;
    return response.error();
  }
  // A watch that ends at once with nothing to say (a proxy cutting streams, a
  // server answering each watch with an ERROR event) is a failure to back off
  // from, not a normal end: resuming at once would spin.
  if (!events_seen_ && clock_.Now() - started < seconds / 2) {
    return Error(ErrorKind::kServer,
                 error_event_.empty() ? "the server ended the watch at once, without an event" : error_event_);
  }
  return StreamEnd::kClosed;
}

Status Watcher::Run(const WatchHandler& handler) {
  auto timed_out = [&] {
    return Error(ErrorKind::kTimeout, "watching " + collection_.GroupResource() + ": deadline reached");
  };
  int failures = 0;
  auto backoff = options_.initial_backoff;
  bool need_list = true;
  // Transient failures are retried with backoff; anything the server will say
  // again (Forbidden, NotFound) or that came from the handler ends the run.
  auto retry_or_fail = [&](const Error& error) -> std::optional<Error> {
    if (handler_failed_ || IsPermanent(error)) return error;
    // Before the first list, a transport failure that a retry cannot fix (an
    // unknown host, a certificate that does not verify, nothing listening)
    // ends the run, as kubectl's first request does; once watching, the same
    // failure may be the API server restarting, and is waited out.
    if (lists_ == 0 && error.kind() == ErrorKind::kConnection && !IsProbableEOF(error)) return error;
    if (++failures >= options_.max_failures) return error;
    if (options_.deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*options_.deadline - clock_.Now());
      clock_.SleepFor(std::max(std::chrono::milliseconds(0), std::min(backoff, left)));
    } else {
      clock_.SleepFor(backoff);
    }
    backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
    return std::nullopt;
  };
  while (true) {
    if (options_.stop_requested && options_.stop_requested()) return Ok();
    if ((lists_ > 0 || failures > 0) && Expired()) return timed_out();
    if (need_list) {
      auto listed = ListAndReport(handler);
      if (!listed.ok()) {
        if (auto error = retry_or_fail(listed.error())) return *error;
        continue;
      }
      if (!*listed) return Ok();
      need_list = false;
      if (Expired()) return timed_out();
    }
    events_seen_ = false;
    auto end = WatchOnce(handler);
    if (events_seen_) {
      failures = 0;
      backoff = options_.initial_backoff;
    }
    if (!end.ok()) {
      if (auto error = retry_or_fail(end.error())) return error->WithContext("watching " + collection_.GroupResource());
      continue;
    }
    switch (*end) {
      case StreamEnd::kStopped:
        return Ok();
      case StreamEnd::kExpired:
        need_list = true;
        break;
      case StreamEnd::kClosed:
        break;  // resume from resource_version_
    }
  }
}

}  // namespace llm::kube

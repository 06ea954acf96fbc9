// Events about one object, read from either event API: core/v1 Event
// (involvedObject, message, count, lastTimestamp) or events.k8s.io/v1 Event
// (regarding, note, series.count / deprecatedCount, eventTime).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace llm {

struct ObjectEvent {
  std::string type;    ///< Normal or Warning
  std::string reason;  ///< Unhealthy, FailedScheduling, Failed, Pulling ...
  std::string message;
  int64_t count = 1;
  std::string last_seen;  ///< RFC 3339, as the server wrote it ("" if none)
  /// Who reported it: source.component, else reportingComponent (core/v1), else
  /// reportingController (events.k8s.io/v1), e.g. "cluster-autoscaler", "karpenter".
  std::string source;
};

/// Events about `kind`/`name`, oldest first (by last-seen time; stable for ties).
std::vector<ObjectEvent> EventsAbout(const nlohmann::json& events, std::string_view kind, std::string_view name);

}  // namespace llm

#include "workload/object_events.h"

#include <algorithm>

#include "kube/object_fields.h"
#include "util/rfc3339.h"

namespace llm {

std::vector<ObjectEvent> EventsAbout(const nlohmann::json& events, std::string_view kind, std::string_view name) {
  std::vector<ObjectEvent> out;
  for (const nlohmann::json& event : ItemsOf(events)) {
    const char* subject = FindPath(event, {"involvedObject"}) != nullptr ? "involvedObject" : "regarding";
    if (StringAt(event, {subject, "kind"}) != kind || StringAt(event, {subject, "name"}) != name) continue;
    ObjectEvent e;
    e.type = StringAt(event, {"type"});
    e.reason = StringAt(event, {"reason"});
    e.message = StringAt(event, {"message"}, StringAt(event, {"note"}));
    e.source = StringAt(event, {"source", "component"},
                        StringAt(event, {"reportingComponent"}, StringAt(event, {"reportingController"})));
    e.count = IntAt(event, {"series", "count"}, IntAt(event, {"count"}, IntAt(event, {"deprecatedCount"}, 1)));
    for (auto path : {std::initializer_list<std::string_view>{"series", "lastObservedTime"},
                      std::initializer_list<std::string_view>{"lastTimestamp"},
                      std::initializer_list<std::string_view>{"eventTime"},
                      std::initializer_list<std::string_view>{"firstTimestamp"},
                      std::initializer_list<std::string_view>{"metadata", "creationTimestamp"}}) {
      e.last_seen = StringAt(event, path);
      if (!e.last_seen.empty()) break;
    }
    out.push_back(std::move(e));
  }
  // Unparseable or missing times sort first (as the oldest).
  std::vector<std::pair<std::chrono::system_clock::time_point, size_t>> order;
  for (size_t i = 0; i < out.size(); ++i) {
    order.emplace_back(ParseRfc3339Exact(out[i].last_seen).value_or(std::chrono::system_clock::time_point::min()), i);
  }
  std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<ObjectEvent> sorted;
  sorted.reserve(out.size());
  for (const auto& entry : order) sorted.push_back(std::move(out[entry.second]));
  return sorted;
}

}  // namespace llm

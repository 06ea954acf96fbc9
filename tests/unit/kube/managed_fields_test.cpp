#include "kube/managed_fields.h"

#include <doctest/doctest.h>

namespace llm::kube {
namespace {
using nlohmann::json;

json Object(const std::string& created, const json& entries) {
  return {{"metadata", {{"creationTimestamp", created}, {"managedFields", entries}}}};
}

TEST_CASE("the Apply entry of a manager: not its Update entry, not another manager's, not a subresource's") {
  const json entries = json::parse(R"([
    {"manager":"kubectl-llm","operation":"Update","time":"2026-11-28T12:00:09Z"},
    {"manager":"kubectl-llm","operation":"Apply","subresource":"status","time":"2026-11-28T12:00:08Z"},
    {"manager":"kube-controller-manager","operation":"Apply","time":"2026-11-28T12:00:07Z"},
    {"manager":"kubectl-llm","operation":"Apply","time":"2026-11-28T12:00:05Z"}])");
  CHECK(ApplyEntryTime(Object("2026-11-28T12:00:00Z", entries), "kubectl-llm") == "2026-11-28T12:00:05Z");
  CHECK(ApplyEntryTime(Object("2026-11-28T12:00:00Z", entries), "helm") == "");
  CHECK(ApplyEntryTime(json::object(), "kubectl-llm") == "");
  CHECK(ApplyEntryTime({{"metadata", {{"managedFields", "x"}}}}, "kubectl-llm") == "");
}

TEST_CASE("an Apply time within a second of creation is the creation") {
  struct Row {
    const char* created;
    const char* applied;
    const char* want;
  };
  for (const Row& row : std::vector<Row>{{"2026-11-28T12:00:00Z", "2026-11-28T12:00:00Z", ""},
                                         {"2026-11-28T12:00:01Z", "2026-11-28T12:00:00Z", ""},
                                         {"2026-11-28T12:00:00Z", "2026-11-28T12:00:01Z", ""},
                                         {"2026-11-28T12:00:00Z", "2026-11-28T12:00:02Z", "2026-11-28T12:00:02Z"},
                                         {"2026-11-28T12:00:00Z", "2026-11-28T13:00:00Z", "2026-11-28T13:00:00Z"},
                                         {"not a time", "2026-11-28T12:00:00Z", "2026-11-28T12:00:00Z"}}) {
    CAPTURE(row.created);
    CAPTURE(row.applied);
    json object = Object(row.created, {{{"manager", "m"}, {"operation", "Apply"}, {"time", row.applied}}});
    CHECK(ApplyTimeSinceCreation(object, "m") == row.want);
  }
  CHECK(ApplyTimeSinceCreation(Object("2026-11-28T12:00:00Z", json::array()), "m") == "");
}

}  // namespace
}  // namespace llm::kube

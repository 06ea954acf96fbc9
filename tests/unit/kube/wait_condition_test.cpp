#include "kube/wait_condition.h"

#include <doctest/doctest.h>

namespace llm::kube {
namespace {
using nlohmann::json;

json WithConditions(int64_t generation, json conditions, std::optional<int64_t> observed = std::nullopt) {
  json object = {{"metadata", {{"name", "x"}, {"generation", generation}}}, {"status", {{"conditions", conditions}}}};
  if (observed) object["status"]["observedGeneration"] = *observed;
  return object;
}

TEST_CASE("condition: type and status compared case-insensitively, stale generations ignored") {
  struct Row {
    const char* name;
    json object;
    std::string type, status;
    WaitState want;
  };
  const std::vector<Row> rows = {
      {"true", WithConditions(1, {{{"type", "Available"}, {"status", "True"}}}), "Available", "True", WaitState::kDone},
      {"case", WithConditions(1, {{{"type", "Available"}, {"status", "True"}}}), "available", "true", WaitState::kDone},
      {"false", WithConditions(1, {{{"type", "Available"}, {"status", "False"}}}), "Available", "True",
       WaitState::kPending},
      {"wanted false", WithConditions(1, {{{"type", "Ready"}, {"status", "False"}}}), "Ready", "False",
       WaitState::kDone},
      {"absent", WithConditions(1, json::array()), "Available", "True", WaitState::kPending},
      {"stale condition", WithConditions(3, {{{"type", "Available"}, {"status", "True"}, {"observedGeneration", 2}}}),
       "Available", "True", WaitState::kPending},
      {"current condition", WithConditions(3, {{{"type", "Available"}, {"status", "True"}, {"observedGeneration", 3}}}),
       "Available", "True", WaitState::kDone},
      {"stale status", WithConditions(3, {{{"type", "Available"}, {"status", "True"}}}, 2), "Available", "True",
       WaitState::kPending},
      {"current status", WithConditions(3, {{{"type", "Available"}, {"status", "True"}}}, 3), "Available", "True",
       WaitState::kDone},
  };
  for (const Row& row : rows) {
    CAPTURE(row.name);
    CHECK(ConditionIs(row.type, row.status)(&row.object).state == row.want);
  }
  CHECK(ConditionIs("Available")(nullptr).state == WaitState::kPending);
}

TEST_CASE("field predicate: JSONPath-like paths, existence, scalars only") {
  json object = json::parse(R"({"metadata":{"labels":{"app.kubernetes.io/name":"vllm"}},
      "status":{"phase":"Running","readyReplicas":2,"ready":true,"conditions":[{"type":"Ready"}],"nested":{"a":1}}})");
  struct Row {
    std::string path;
    std::optional<std::string> value;
    WaitState want;
  };
  const std::vector<Row> rows = {
      {"{.status.phase}", "Running", WaitState::kDone},
      {".status.phase", "Pending", WaitState::kPending},
      {"{.status.readyReplicas}", "2", WaitState::kDone},
      {"{.status.ready}", "true", WaitState::kDone},
      {"{.status.conditions[0].type}", "Ready", WaitState::kDone},
      {"{.status.conditions[1].type}", "Ready", WaitState::kPending},
      {"{.metadata.labels.app\\.kubernetes\\.io/name}", "vllm", WaitState::kDone},
      {"{.status.phase}", std::nullopt, WaitState::kDone},
      {"{.status.missing}", std::nullopt, WaitState::kPending},
      {"{.status.nested}", "x", WaitState::kFailed},
      {"status.phase", "Running", WaitState::kFailed},
      {"{.status.conditions[x]}", std::nullopt, WaitState::kFailed},
  };
  for (const Row& row : rows) {
    CAPTURE(row.path);
    CHECK(FieldIs(row.path, row.value)(&object).state == row.want);
  }
  CHECK(FieldIs("{.status.phase}", "Running")(nullptr).state == WaitState::kPending);
}

TEST_CASE("deletion: gone, or replaced by an object with another uid") {
  json object = {{"metadata", {{"name", "x"}, {"uid", "u1"}}}};
  CHECK(IsDeleted()(nullptr).state == WaitState::kDone);
  CHECK(IsDeleted()(&object).state == WaitState::kPending);
  CHECK(IsDeleted("u1")(&object).state == WaitState::kPending);
  CHECK(IsDeleted("u0")(&object).state == WaitState::kDone);
}

}  // namespace
}  // namespace llm::kube

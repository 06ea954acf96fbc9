#include "kube/object_fields.h"

#include <doctest/doctest.h>

#include "util/rfc3339.h"

namespace llm {
namespace {

using namespace std::chrono_literals;

TEST_CASE("ParseRfc3339Exact accepts the API server's RFC 3339 forms") {
  auto base = std::chrono::sys_days{std::chrono::November / 28 / 2026} + 12h;
  CHECK(ParseRfc3339Exact("2026-11-28T12:00:00Z") == base);
  CHECK(ParseRfc3339Exact("2026-11-28T12:00:01.482913Z") == base + 1482913us);
  CHECK(ParseRfc3339Exact("2026-11-28T13:30:00+01:30") == base);
  CHECK(ParseRfc3339Exact("2026-11-28T10:00:00-02:00") == base);
  for (const char* bad : {"", "2026-11-28", "2026-11-28T12:00:00", "2026-02-30T12:00:00Z", "2026-11-28T25:00:00Z",
                          "2026-11-28T12:00:00.Z", "2026-11-28T12:00:00Zjunk"}) {
    CAPTURE(bad);
    CHECK_FALSE(ParseRfc3339Exact(bad).has_value());
  }
}

TEST_CASE("KeepOnlyPaths keeps the values at the paths given, nested ones included, and nothing else") {
  nlohmann::json node = nlohmann::json::parse(R"({"apiVersion":"v1","kind":"Node",
    "metadata":{"name":"n","resourceVersion":"7","labels":{"a":"b"},"managedFields":[{}]},
    "spec":{"taints":[{"key":"k","effect":"NoSchedule"}],"podCIDR":"10.0.0.0/24"},
    "status":{"images":[{"names":["x"]}]}})");
  KeepOnlyPaths(node, {{"metadata", "name"},
                       {"metadata", "resourceVersion"},
                       {"spec", "taints"},
                       {"spec", "absent"},
                       {"metadata"},
                       {"metadata", "name"}});
  nlohmann::json expected = nlohmann::json::parse(R"({
    "metadata":{"name":"n","resourceVersion":"7","labels":{"a":"b"},"managedFields":[{}]},
    "spec":{"taints":[{"key":"k","effect":"NoSchedule"}]}})");
  CHECK(node == expected);
  nlohmann::json small = {{"metadata", {{"name", "n"}}}, {"status", {{"phase", "Running"}}}};
  KeepOnlyPaths(small, {{"metadata", "name"}});
  CHECK(small == nlohmann::json{{"metadata", {{"name", "n"}}}});
  nlohmann::json not_an_object = "x";
  KeepOnlyPaths(not_an_object, {{"metadata"}});
  CHECK(not_an_object == nlohmann::json::object());
}

TEST_CASE("ParseCountQuantity reads whole-number quantities") {
  CHECK(ParseCountQuantity("8") == 8);
  CHECK(ParseCountQuantity("2k") == 2000);
  CHECK(ParseCountQuantity(4) == 4);
  CHECK_FALSE(ParseCountQuantity("500m").has_value());
  CHECK_FALSE(ParseCountQuantity("-1").has_value());
  CHECK_FALSE(ParseCountQuantity(nullptr).has_value());
}

TEST_CASE("accessors fall back instead of throwing") {
  nlohmann::json pod = {{"metadata", {{"name", "chat-0"}, {"labels", {{"a", "b"}}}}},
                        {"status", {{"conditions", {{{"type", "Ready"}, {"status", "True"}}}}}}};
  CHECK(StringAt(pod, {"metadata", "name"}) == "chat-0");
  CHECK(StringAt(pod, {"metadata", "name", "deeper"}, "x") == "x");
  CHECK(IntAt(pod, {"spec", "replicas"}, 1) == 1);
  CHECK(LabelOf(pod, "a") == "b");
  CHECK(LabelOf(pod, "missing").empty());
  REQUIRE(FindCondition(pod, "Ready") != nullptr);
  CHECK(FindCondition(pod, "PodScheduled") == nullptr);
  CHECK(ItemsOf(nlohmann::json{{"items", {1, 2}}}).size() == 2);
  CHECK(ItemsOf(nlohmann::json::array({1})).size() == 1);
  CHECK(ItemsOf(nlohmann::json("text")).empty());
}

}  // namespace
}  // namespace llm

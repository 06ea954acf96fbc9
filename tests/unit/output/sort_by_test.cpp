#include "output/sort_by.h"

#include <doctest/doctest.h>

namespace llm {
namespace {
using nlohmann::json;

json Object(const std::string& name, json spec, const std::string& created = "2026-11-28T10:00:00Z") {
  return {{"metadata", {{"name", name}, {"creationTimestamp", created}}}, {"spec", std::move(spec)}};
}

/// The names of `objects` in the order --sort-by `field` puts them.
std::vector<std::string> Sorted(const std::string& field, const std::vector<json>& objects) {
  auto sort_by = SortBy::Parse(field);
  REQUIRE(sort_by.ok());
  std::vector<const json*> pointers;
  for (const json& object : objects) pointers.push_back(&object);
  auto order = sort_by->Order(pointers);
  REQUIRE_MESSAGE(order.ok(), (order.ok() ? "" : order.error().message()));
  std::vector<std::string> names;
  for (size_t i : *order) names.push_back(objects[i]["metadata"]["name"]);
  return names;
}

Error SortError(const std::string& field, const std::vector<json>& objects) {
  auto sort_by = SortBy::Parse(field);
  REQUIRE(sort_by.ok());
  std::vector<const json*> pointers;
  for (const json& object : objects) pointers.push_back(&object);
  auto order = sort_by->Order(pointers);
  REQUIRE_FALSE(order.ok());
  return order.error();
}

TEST_CASE("--sort-by takes kubectl's relaxed paths") {
  for (const char* field : {"metadata.name", ".metadata.name", "{metadata.name}", "{.metadata.name}"}) {
    auto sort_by = SortBy::Parse(field);
    REQUIRE(sort_by.ok());
    CHECK(sort_by->field() == "{.metadata.name}");
  }
  auto braces = SortBy::Parse("{.a}{.b}");
  REQUIRE_FALSE(braces.ok());
  CHECK(braces.error().kind() == ErrorKind::kUsage);
  CHECK(braces.error().message() ==
        "--sort-by: unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or "
        "'{.name1.name2}'");
  auto unterminated = SortBy::Parse(".spec.containers[0");
  REQUIRE_FALSE(unterminated.ok());
  CHECK(unterminated.error().message() == "--sort-by: error parsing jsonpath {.spec.containers[0}, unterminated array");
}

TEST_CASE("--sort-by orders strings byte by byte, numbers by value, timestamps by time") {
  const std::vector<json> objects = {Object("web", {{"replicas", 10}}, "2026-11-28T10:00:00Z"),
                                     Object("chat", {{"replicas", 9}}, "2026-11-28T09:59:59Z"),
                                     Object("Batch", {{"replicas", 100}}, "2025-12-31T23:00:00Z")};
  CHECK(Sorted(".metadata.name", objects) == std::vector<std::string>{"Batch", "chat", "web"});
  CHECK(Sorted(".spec.replicas", objects) == std::vector<std::string>{"chat", "web", "Batch"});
  CHECK(Sorted("{.metadata.creationTimestamp}", objects) == std::vector<std::string>{"Batch", "chat", "web"});
  const std::vector<json> floats = {Object("b", {{"ratio", 0.5}}), Object("a", {{"ratio", 0.25}})};
  CHECK(Sorted(".spec.ratio", floats) == std::vector<std::string>{"a", "b"});
}

TEST_CASE("--sort-by compares two quantities as quantities, as kubectl does") {
  const std::vector<json> objects = {Object("three-g", {{"memory", "3G"}}), Object("two-gi", {{"memory", "2Gi"}}),
                                     Object("half", {{"memory", "500m"}}), Object("ten", {{"memory", "10"}}),
                                     Object("nine", {{"memory", "9"}})};
  CHECK(Sorted(".spec.memory", objects) == std::vector<std::string>{"half", "nine", "ten", "two-gi", "three-g"});
  long double value = 0;
  CHECK(QuantityValue("1e3", &value));
  CHECK(value == 1000.0L);
  CHECK(QuantityValue("1Ki", &value));
  CHECK(value == 1024.0L);
  CHECK(QuantityValue("-1.5", &value));
  CHECK(value == -1.5L);
  CHECK_FALSE(QuantityValue("", &value));
  CHECK_FALSE(QuantityValue("chat", &value));
  CHECK_FALSE(QuantityValue("1K", &value));
  CHECK_FALSE(QuantityValue("2026-11-28T10:00:00Z", &value));
}

TEST_CASE("--sort-by puts objects without the field first, keeps equal ones in order") {
  const std::vector<json> objects = {Object("a", {{"replicas", 2}}), Object("b", json::object()),
                                     Object("c", {{"replicas", 1}}), Object("d", {{"replicas", 2}}),
                                     Object("e", {{"replicas", nullptr}})};
  CHECK(Sorted(".spec.replicas", objects) == std::vector<std::string>{"b", "e", "c", "a", "d"});
}

TEST_CASE("--sort-by on a field no object has is kubectl's error, nothing to sort is none") {
  const std::vector<json> objects = {Object("a", json::object()), Object("b", json::object())};
  const Error missing = SortError(".spec.nothing", objects);
  CHECK(missing.message() == "couldn't find any field with path \"{.spec.nothing}\" in the list of objects");
  auto sort_by = SortBy::Parse(".spec.nothing");
  REQUIRE(sort_by.ok());
  CHECK(sort_by->Order({})->empty());
}

TEST_CASE("--sort-by refuses what kubectl cannot order, naming the flag") {
  const std::vector<json> maps = {Object("a", {{"x", {{"k", 1}}}}), Object("b", {{"x", {{"k", 2}}}})};
  CHECK(SortError(".spec.x", maps).message() == "--sort-by {.spec.x}: unsortable type: map[string]interface {}");
  const std::vector<json> mixed = {Object("a", {{"x", 1}}), Object("b", {{"x", "one"}})};
  CHECK(SortError(".spec.x", mixed).message().starts_with("--sort-by {.spec.x}: cannot order a "));
  const std::vector<json> bools = {Object("a", {{"x", true}}), Object("b", {{"x", false}})};
  CHECK(SortError(".spec.x", bools).message() == "--sort-by {.spec.x}: unsortable type: bool");
}

}  // namespace
}  // namespace llm

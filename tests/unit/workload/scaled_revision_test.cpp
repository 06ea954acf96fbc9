#include "workload/scaled_revision.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

using nlohmann::json;

TEST_CASE("WithSpecFields changes the named object of that kind only") {
  const std::vector<json> objects = {
      {{"kind", "Deployment"}, {"metadata", {{"name", "chat"}}}, {"spec", {{"replicas", 1}, {"paused", false}}}},
      {{"kind", "Deployment"}, {"metadata", {{"name", "other"}}}, {"spec", {{"replicas", 1}}}},
      {{"kind", "Service"}, {"metadata", {{"name", "chat"}}}, {"spec", {{"port", 8000}}}}};
  bool found = false;
  const std::vector<json> scaled = WithSpecFields(objects, "Deployment", "chat", {{"replicas", 4}}, found);
  CHECK(found);
  CHECK(scaled[0]["spec"] == json{{"replicas", 4}, {"paused", false}});
  CHECK(scaled[1] == objects[1]);
  CHECK(scaled[2] == objects[2]);
  CHECK(WithSpecFields(objects, "LeaderWorkerSet", "chat", {{"replicas", 4}}, found) == objects);
  CHECK_FALSE(found);
}

}  // namespace
}  // namespace llm

#include "workload/pod_resources.h"

#include <doctest/doctest.h>

#include "unit/workload/fixture.h"

namespace llm {
namespace {

nlohmann::json Container(const char* gpus, const char* field = "requests") {
  return {{"name", "c"}, {"resources", {{field, {{"nvidia.com/gpu", gpus}}}}}};
}

nlohmann::json Sidecar(const char* gpus) {
  nlohmann::json c = Container(gpus);
  c["restartPolicy"] = "Always";
  return c;
}

TEST_CASE("PodSpecRequest follows the scheduler's formula") {
  struct Case {
    const char* name;
    nlohmann::json spec;
    int64_t want;
  };
  const Case cases[] = {
      {"no GPUs", {{"containers", {{{"name", "c"}}}}}, 0},
      {"containers add up", {{"containers", {Container("4"), Container("2")}}}, 6},
      {"limits stand in for requests", {{"containers", {Container("8", "limits")}}}, 8},
      {"an init container larger than the app",
       {{"containers", {Container("1")}}, {"initContainers", {Container("2")}}},
       2},
      {"an init container smaller than the app",
       {{"containers", {Container("4")}}, {"initContainers", {Container("2")}}},
       4},
      {"a sidecar runs beside the app",
       {{"containers", {Container("4")}}, {"initContainers", {Sidecar("1"), Container("4")}}},
       // sidecar 1 + app 4 = 5; the second init container runs beside the sidecar: 1 + 4 = 5
       5},
      {"overhead is added", {{"containers", {Container("1")}}, {"overhead", {{"nvidia.com/gpu", "1"}}}}, 2},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CHECK(PodSpecRequest(c.spec) == c.want);
  }
}

TEST_CASE("RequestsByNode counts bound, non-terminal pods only") {
  auto used = RequestsByNode(testing::LoadWorkloadFixture("cluster-pods.json"));
  CHECK(used["gpu-node-1"] == 8);  // chat-0
  CHECK(used["gpu-node-2"] == 4);  // train-0; the Succeeded eval pod no longer holds its 8
  CHECK(used["gpu-node-4"] == 2);  // embed: its init container needs 2, its app 1
  CHECK(used.size() == 3);         // big-0 is not bound
}

}  // namespace
}  // namespace llm

#include "workload/node_scheduling.h"

#include <doctest/doctest.h>

#include "unit/workload/fixture.h"

namespace llm {
namespace {

TEST_CASE("ToleratesTaint matches kubernetes' rules") {
  const nlohmann::json taint = {{"key", "nvidia.com/gpu"}, {"value", "present"}, {"effect", "NoSchedule"}};
  struct Case {
    nlohmann::json toleration;
    bool want;
  };
  const Case cases[] = {
      {{{"key", "nvidia.com/gpu"}, {"operator", "Exists"}}, true},
      {{{"key", "nvidia.com/gpu"}, {"operator", "Exists"}, {"effect", "NoSchedule"}}, true},
      {{{"key", "nvidia.com/gpu"}, {"operator", "Exists"}, {"effect", "NoExecute"}}, false},
      {{{"key", "nvidia.com/gpu"}, {"value", "present"}}, true},  // operator defaults to Equal
      {{{"key", "nvidia.com/gpu"}, {"operator", "Equal"}, {"value", "absent"}}, false},
      {{{"operator", "Exists"}}, true},  // empty key + Exists tolerates everything
      {{{"key", "other"}, {"operator", "Exists"}}, false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.toleration.dump());
    CHECK(ToleratesTaint(c.toleration, taint) == c.want);
  }
}

TEST_CASE("UntoleratedTaint ignores PreferNoSchedule and names the blocking taint") {
  nlohmann::json node = {{"spec",
                          {{"taints",
                            {{{"key", "soft"}, {"effect", "PreferNoSchedule"}},
                             {{"key", "nvidia.com/gpu"}, {"value", "present"}, {"effect", "NoSchedule"}},
                             {{"key", "node.kubernetes.io/unschedulable"}, {"effect", "NoSchedule"}}}}}}};
  CHECK(UntoleratedTaint(node, nlohmann::json::array()) == "nvidia.com/gpu=present:NoSchedule");
  nlohmann::json gpu = {{{"key", "nvidia.com/gpu"}, {"operator", "Exists"}}};
  CHECK(UntoleratedTaint(node, gpu) == "node.kubernetes.io/unschedulable:NoSchedule");
  gpu.push_back({{"operator", "Exists"}});
  CHECK_FALSE(UntoleratedTaint(node, gpu).has_value());
}

TEST_CASE("MissingNodeLabel and IsCordoned read the fixture's nodes") {
  const nlohmann::json nodes = testing::LoadWorkloadFixture("nodes.json");
  const nlohmann::json& node1 = nodes["items"][0];
  CHECK_FALSE(MissingNodeLabel(node1, {{"nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3"}}).has_value());
  CHECK(MissingNodeLabel(node1, {{"nvidia.com/gpu.product", "NVIDIA-A100-SXM4-80GB"}}) ==
        "nvidia.com/gpu.product=NVIDIA-A100-SXM4-80GB");
  CHECK_FALSE(IsCordoned(node1));
  CHECK(IsCordoned(nodes["items"][2]));
}

}  // namespace
}  // namespace llm

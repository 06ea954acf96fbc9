#include "workload/cluster_autoscaler_status.h"

#include <doctest/doctest.h>

#include "unit/workload/fixture.h"

namespace llm {
namespace {

TEST_CASE("the structured status (cluster-autoscaler 1.30+): each node group's sizes and scale-up state") {
  auto status = ParseClusterAutoscalerStatus(testing::LoadWorkloadFixture("autoscale/ca-status-eks.json"));
  REQUIRE(status.has_value());
  CHECK(status->state == "Running");
  REQUIRE(status->node_groups.size() == 3);
  const AutoscalerNodeGroup& gpu = status->node_groups[0];
  CHECK(gpu.name == "eks-gpu-h100-2ac6f0b1-9c1e-4a57-8f0a-3d3b1f9e0c11");
  CHECK(gpu.min_size == 0);
  CHECK(gpu.max_size == 4);
  CHECK(gpu.target == 2);
  CHECK(gpu.scale_up == "NoActivity");
  CHECK(status->node_groups[1].target == 0);  // a scale-from-zero group: no nodeCounts at all
  CHECK(status->node_groups[1].max_size == 2);
}

TEST_CASE("the text status of older cluster-autoscalers: NodeGroups only, not the cluster-wide lines") {
  auto status = ParseClusterAutoscalerStatus(testing::LoadWorkloadFixture("autoscale/ca-status-aks-text.json"));
  REQUIRE(status.has_value());
  CHECK(status->state.empty());
  REQUIRE(status->node_groups.size() == 2);
  CHECK(status->node_groups[0].name == "aks-nodepool1-33037761-vmss");
  CHECK(status->node_groups[0].min_size == 1);
  CHECK(status->node_groups[0].max_size == 3);
  CHECK(status->node_groups[0].target == 2);
  CHECK(status->node_groups[0].scale_up == "NoActivity");
  CHECK(status->node_groups[1].name == "aks-gpupool-41529630-vmss");
  CHECK(status->node_groups[1].max_size == 6);
  CHECK(status->node_groups[1].target == 1);
  CHECK(status->node_groups[1].scale_up == "Backoff");
}

TEST_CASE("a ConfigMap without a status it can read is no status") {
  CHECK_FALSE(ParseClusterAutoscalerStatus(nlohmann::json::object()).has_value());
  CHECK_FALSE(ParseClusterAutoscalerStatus({{"data", {{"status", "just: some yaml"}}}}).has_value());
  CHECK_FALSE(ParseClusterAutoscalerStatus({{"data", {{"status", "{not yaml"}}}}).has_value());
  // The status an autoscaler writes while it starts has no node groups yet.
  auto starting = ParseClusterAutoscalerStatus({{"data", {{"status", "autoscalerStatus: Initializing\n"}}}});
  REQUIRE(starting.has_value());
  CHECK(starting->state == "Initializing");
  CHECK(starting->node_groups.empty());
}

}  // namespace
}  // namespace llm

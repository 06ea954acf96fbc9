#include "workload/node_autoscalers.h"

#include <doctest/doctest.h>

#include "unit/workload/fixture.h"

namespace llm {
namespace {

using nlohmann::json;

constexpr const char* kH100Group = "eks-gpu-h100-2ac6f0b1-9c1e-4a57-8f0a-3d3b1f9e0c11";

GpuFitRequest Pods(int64_t pods, int64_t gpus, const std::string& product) {
  GpuFitRequest r;
  r.gpus_per_pod = gpus;
  r.pods = pods;
  if (!product.empty()) r.node_selector = {{"nvidia.com/gpu.product", product}};
  r.tolerations = json::parse(R"([{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}])");
  return r;
}

// The EKS cluster of the fixtures: two 8-GPU H100 nodes (node group gpu-h100),
// two CPU nodes (node group system), nothing running.
struct Cluster {
  json nodes = testing::LoadWorkloadFixture("autoscale/eks-nodes.json");
  NodeAutoscalers autoscalers;
  ScaleUpOutlook Judge(const GpuFitRequest& request) const {
    GpuFit fit = CheckGpuFit(nodes, json::array(), request);
    REQUIRE(fit.verdict == GpuFitVerdict::kNeverFits);
    return JudgeScaleUp(autoscalers, fit, request, nodes);
  }
};

TEST_CASE("Karpenter: a NodePool that holds the pods may add what does not fit today") {
  Cluster c;
  c.autoscalers.karpenter_node_pools = testing::LoadWorkloadFixture("autoscale/nodepools.json");
  SUBCASE("too few nodes of the product") {
    ScaleUpOutlook o = c.Judge(Pods(3, 8, "NVIDIA-H100-80GB-HBM3"));
    CHECK(o.may_add);
    CHECK(o.sentence ==
          R"(Karpenter NodePool "gpu-h100" may add nodes for 1 more pod of 8 NVIDIA-H100-80GB-HBM3 GPUs)");
  }
  SUBCASE("a product no node has yet (scale from zero)") {
    ScaleUpOutlook o = c.Judge(Pods(2, 4, "NVIDIA-L4"));
    CHECK(o.may_add);
    CHECK(o.sentence == R"(Karpenter NodePool "gpu-l4" may add nodes for 2 more pods of 4 NVIDIA-L4 GPUs)");
  }
  SUBCASE("more than its limits leave room for: the refusal stands, saying why") {
    ScaleUpOutlook o = c.Judge(Pods(5, 8, "NVIDIA-H100-80GB-HBM3"));
    CHECK_FALSE(o.may_add);
    CHECK(o.sentence == R"(Karpenter NodePool "gpu-h100" has room for only 2 of the 3 pods within its limits )"
                        "(limits.nvidia.com/gpu 32 with 16 in use)");
  }
  SUBCASE("a product no NodePool offers: nothing to say, the refusal stands as it is") {
    ScaleUpOutlook o = c.Judge(Pods(1, 8, "NVIDIA-B200"));
    CHECK_FALSE(o.may_add);
    CHECK(o.sentence.empty());
  }
  SUBCASE("pods that do not tolerate the NodePools' taints") {
    GpuFitRequest request = Pods(1, 8, "NVIDIA-B200");
    request.tolerations = json::array();
    c.autoscalers.karpenter_node_pools = json::array();
    CHECK_FALSE(c.Judge(request).may_add);
  }
}

TEST_CASE("the cluster-autoscaler: node groups tied to nodes by the managed offerings' labels") {
  Cluster c;
  c.autoscalers.cluster_autoscaler =
      ParseClusterAutoscalerStatus(testing::LoadWorkloadFixture("autoscale/ca-status-eks.json"));
  REQUIRE(c.autoscalers.cluster_autoscaler.has_value());
  auto& groups = c.autoscalers.cluster_autoscaler->node_groups;
  SUBCASE("the group of the matching nodes is below its maximum") {
    ScaleUpOutlook o = c.Judge(Pods(3, 8, "NVIDIA-H100-80GB-HBM3"));
    CHECK(o.may_add);
    CHECK(o.sentence == std::string("the cluster-autoscaler may add nodes for 1 more pod of 8 NVIDIA-H100-80GB-HBM3 "
                                    "GPUs to node group \"") +
                            kH100Group + "\" (EKS node group \"gpu-h100\", 2 nodes of at most 4)");
  }
  SUBCASE("it is at its maximum, but a group with no node yet may offer them") {
    groups[0].max_size = 2;
    ScaleUpOutlook o = c.Judge(Pods(3, 8, "NVIDIA-H100-80GB-HBM3"));
    CHECK(o.may_add);
    CHECK(o.sentence ==
          "the cluster-autoscaler may add nodes for 1 more pod of 8 NVIDIA-H100-80GB-HBM3 GPUs if one "
          "of its node groups below their maximum offers them: "
          "\"eks-gpu-l4-6ec6f0b1-1d2e-3f40-5a6b-7c8d9e0f1a2b\" (0 nodes of at most 2)");
  }
  SUBCASE("every group that could is at its maximum; the system group holds other nodes") {
    groups[0].max_size = 2;
    groups[1].max_size = 0;
    ScaleUpOutlook o = c.Judge(Pods(3, 8, "NVIDIA-H100-80GB-HBM3"));
    CHECK_FALSE(o.may_add);
    CHECK(o.sentence == std::string("the cluster-autoscaler's node group holding such nodes is at its maximum: \"") +
                            kH100Group + "\" (EKS node group \"gpu-h100\", 2 nodes of at most 2)");
  }
  SUBCASE("the group can add fewer than needed") {
    groups[1].max_size = 0;
    ScaleUpOutlook o = c.Judge(Pods(6, 8, "NVIDIA-H100-80GB-HBM3"));
    CHECK_FALSE(o.may_add);
    CHECK(o.sentence ==
          std::string("the cluster-autoscaler's node group \"") + kH100Group +
              "\" (EKS node group \"gpu-h100\", 2 nodes of at most 4) can add room for only 2 of the 4 pods");
  }
  SUBCASE("pods larger than the group's nodes: more of the same nodes do not help") {
    groups[1].max_size = 0;
    CHECK_FALSE(c.Judge(Pods(1, 16, "NVIDIA-H100-80GB-HBM3")).may_add);
  }
}

TEST_CASE("Karpenter is asked first, a cluster-autoscaler that may add it is the fallback") {
  Cluster c;
  c.autoscalers.karpenter_node_pools = testing::LoadWorkloadFixture("autoscale/nodepools.json");
  c.autoscalers.cluster_autoscaler =
      ParseClusterAutoscalerStatus(testing::LoadWorkloadFixture("autoscale/ca-status-eks.json"));
  CHECK(c.Judge(Pods(3, 8, "NVIDIA-H100-80GB-HBM3")).sentence.starts_with("Karpenter NodePool \"gpu-h100\""));
  // Beyond the NodePool's limits (room for 2), the node groups may still add the 3 missing.
  CHECK(c.Judge(Pods(5, 8, "NVIDIA-H100-80GB-HBM3")).sentence.starts_with("the cluster-autoscaler may add"));
  // Neither: both say why.
  c.autoscalers.cluster_autoscaler->node_groups[1].max_size = 0;
  ScaleUpOutlook o = c.Judge(Pods(6, 8, "NVIDIA-H100-80GB-HBM3"));
  CHECK_FALSE(o.may_add);
  CHECK(o.sentence.starts_with("Karpenter NodePool \"gpu-h100\" has room for only 2 of the 4 pods"));
  CHECK(o.sentence.find("; the cluster-autoscaler's node group \"") != std::string::npos);
}

TEST_CASE("AKS and GKE node groups are tied to their nodes too") {
  auto node = [](const std::string& name, const json& labels) {
    return json{{"metadata", {{"name", name}, {"labels", labels}}},
                {"status", {{"allocatable", {{"nvidia.com/gpu", "8"}}}}}};
  };
  SUBCASE("AKS: the VMSS aks-<pool>-<n>-vmss of kubernetes.azure.com/agentpool") {
    Cluster c;
    c.nodes =
        json::array({node("aks-gpupool-41529630-vmss000000", {{"kubernetes.azure.com/agentpool", "gpupool"},
                                                              {"nvidia.com/gpu.product", "NVIDIA-A100-SXM4-80GB"}}),
                     node("aks-nodepool1-33037761-vmss000000", {{"kubernetes.azure.com/agentpool", "nodepool1"}})});
    c.nodes[1]["status"]["allocatable"].erase("nvidia.com/gpu");
    c.autoscalers.cluster_autoscaler =
        ParseClusterAutoscalerStatus(testing::LoadWorkloadFixture("autoscale/ca-status-aks-text.json"));
    ScaleUpOutlook o = c.Judge(Pods(3, 8, "NVIDIA-A100-SXM4-80GB"));
    CHECK(o.may_add);
    CHECK(o.sentence ==
          "the cluster-autoscaler may add nodes for 2 more pods of 8 NVIDIA-A100-SXM4-80GB GPUs to node "
          "group \"aks-gpupool-41529630-vmss\" (AKS node pool \"gpupool\", 1 node of at most 6)");
  }
  SUBCASE("GKE: the MIG <base>-grp whose nodes are named <base>-<suffix>, pool name truncated or not") {
    Cluster c;
    c.nodes =
        json::array({node("gke-prod-gpu-pool-4712e1a8-x9q2", {{"cloud.google.com/gke-nodepool", "gpu-pool"},
                                                              {"nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3"}})});
    ClusterAutoscalerStatus status;
    status.state = "Running";
    status.node_groups = {
        {"https://www.googleapis.com/compute/v1/projects/p/zones/us-central1-a/instanceGroups/"
         "gke-prod-gpu-pool-4712e1a8-grp",
         0, 3, 1, "NoActivity"}};
    c.autoscalers.cluster_autoscaler = status;
    ScaleUpOutlook o = c.Judge(Pods(2, 8, "NVIDIA-H100-80GB-HBM3"));
    CHECK(o.may_add);
    CHECK(o.sentence ==
          "the cluster-autoscaler may add nodes for 1 more pod of 8 NVIDIA-H100-80GB-HBM3 GPUs to node "
          "group \"gke-prod-gpu-pool-4712e1a8-grp\" (GKE node pool \"gpu-pool\", 1 node of at most 3)");
  }
}

TEST_CASE("no autoscaler, or a request that fits: nothing to add") {
  Cluster c;
  ScaleUpOutlook o = c.Judge(Pods(3, 8, "NVIDIA-H100-80GB-HBM3"));
  CHECK_FALSE(o.may_add);
  CHECK(o.sentence.empty());
  c.autoscalers.karpenter_node_pools = testing::LoadWorkloadFixture("autoscale/nodepools.json");
  GpuFitRequest fits = Pods(2, 8, "NVIDIA-H100-80GB-HBM3");
  GpuFit fit = CheckGpuFit(c.nodes, json::array(), fits);
  REQUIRE(fit.verdict == GpuFitVerdict::kFitsNow);
  CHECK_FALSE(JudgeScaleUp(c.autoscalers, fit, fits, c.nodes).may_add);
}

}  // namespace
}  // namespace llm

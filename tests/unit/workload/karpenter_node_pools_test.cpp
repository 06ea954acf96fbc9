#include "workload/karpenter_node_pools.h"

#include <doctest/doctest.h>

#include "unit/workload/fixture.h"

namespace llm {
namespace {

using nlohmann::json;

// 3 pods of 8 H100 GPUs that tolerate the GPU taint, as serve renders them.
GpuFitRequest H100Pods() {
  GpuFitRequest r;
  r.gpus_per_pod = 8;
  r.pods = 3;
  r.node_selector = {{"nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3"}};
  r.tolerations = json::parse(R"([{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}])");
  return r;
}

const NodePoolFit& Named(const std::vector<NodePoolFit>& fits, const std::string& name) {
  for (const NodePoolFit& fit : fits) {
    if (fit.name == name) return fit;
  }
  FAIL("no NodePool " << name);
  return fits.front();
}

TEST_CASE("each NodePool of the fixture is judged with its first reason, as Karpenter would") {
  const json pools = testing::LoadWorkloadFixture("autoscale/nodepools.json");
  const std::vector<NodePoolFit> fits = JudgeNodePools(pools, H100Pods());
  REQUIRE(fits.size() == 6);
  CHECK(fits[0].name == "gpu-h100");  // in the list's order

  const NodePoolFit& h100 = Named(fits, "gpu-h100");
  CHECK(h100.holds);
  CHECK(h100.why_not.empty());
  // limits.nvidia.com/gpu 32 with 16 in use: room for two more 8-GPU pods.
  REQUIRE(h100.pods_within_limits.has_value());
  CHECK(*h100.pods_within_limits == 2);
  CHECK(h100.limit == "limits.nvidia.com/gpu 32 with 16 in use");

  CHECK_FALSE(Named(fits, "general").holds);
  CHECK(Named(fits, "general").why_not ==
        "it does not define the node label nvidia.com/gpu.product that the pods require");
  CHECK(Named(fits, "gpu-l4").why_not == "it does not offer nvidia.com/gpu.product=NVIDIA-H100-80GB-HBM3");
  CHECK(Named(fits, "reserved-h100").why_not ==
        "it is a static NodePool (spec.replicas): it keeps a fixed number of nodes");
  CHECK(Named(fits, "research-h100").why_not == "its taint team=research:NoSchedule is not tolerated by the pods");
  CHECK(Named(fits, "broken-h100").why_not == "it is not Ready (NodeClassReady=False)");
}

TEST_CASE("a NodePool's startup taints need no toleration, its taints do") {
  json pool = testing::LoadWorkloadFixture("autoscale/nodepools.json")["items"][0];
  GpuFitRequest request = H100Pods();
  request.tolerations = json::array();
  CHECK(JudgeNodePools(json::array({pool}), request)[0].why_not ==
        "its taint nvidia.com/gpu=present:NoSchedule is not tolerated by the pods");
  pool["spec"]["template"]["spec"].erase("taints");
  // Only the startup taint node.kubernetes.io/gpu-driver-not-ready is left.
  CHECK(JudgeNodePools(json::array({pool}), request)[0].holds);
}

TEST_CASE("node labels the pods require: defined by requirements or labels, or well known") {
  json pool = testing::LoadWorkloadFixture("autoscale/nodepools.json")["items"][0];
  GpuFitRequest request = H100Pods();
  SUBCASE("a well-known label the NodePool leaves open is the cloud's to decide") {
    request.node_selector["topology.kubernetes.io/zone"] = "us-east-1a";
    CHECK(JudgeNodePools(json::array({pool}), request)[0].holds);
  }
  SUBCASE("a well-known label the NodePool restricts must be admitted") {
    request.node_selector["karpenter.sh/capacity-type"] = "spot";
    CHECK(JudgeNodePools(json::array({pool}), request)[0].why_not ==
          "its requirements do not admit karpenter.sh/capacity-type=spot");
  }
  SUBCASE("karpenter.sh/nodepool is the NodePool's own name") {
    request.node_selector["karpenter.sh/nodepool"] = "gpu-h100";
    CHECK(JudgeNodePools(json::array({pool}), request)[0].holds);
    request.node_selector["karpenter.sh/nodepool"] = "other";
    CHECK_FALSE(JudgeNodePools(json::array({pool}), request)[0].holds);
  }
  SUBCASE("a label no NodePool defines (validate-nodes' verdict) makes Karpenter launch nothing") {
    request.required_node_labels["kubectl-llm.dev/gpu-check"] = "pass";
    CHECK(JudgeNodePools(json::array({pool}), request)[0].why_not ==
          "it does not define the node label kubectl-llm.dev/gpu-check that the pods require");
    pool["spec"]["template"]["spec"]["requirements"].push_back(
        {{"key", "kubectl-llm.dev/gpu-check"}, {"operator", "Exists"}});
    CHECK(JudgeNodePools(json::array({pool}), request)[0].holds);
  }
  SUBCASE("requirements instead of a template label, with NotIn and DoesNotExist") {
    pool["spec"]["template"].erase("metadata");
    json& reqs = pool["spec"]["template"]["spec"]["requirements"];
    reqs.push_back({{"key", "nvidia.com/gpu.product"}, {"operator", "NotIn"}, {"values", {"NVIDIA-L4"}}});
    CHECK(JudgeNodePools(json::array({pool}), request)[0].holds);
    reqs.push_back({{"key", "nvidia.com/gpu.product"}, {"operator", "DoesNotExist"}});
    CHECK(JudgeNodePools(json::array({pool}), request)[0].why_not ==
          "it does not offer nvidia.com/gpu.product=NVIDIA-H100-80GB-HBM3");
  }
}

TEST_CASE("GPU count requirements bound the instances a NodePool may launch") {
  json pool = testing::LoadWorkloadFixture("autoscale/nodepools.json")["items"][0];
  json& reqs = pool["spec"]["template"]["spec"]["requirements"];
  GpuFitRequest request = H100Pods();
  auto count_requirement = [&](const std::string& op, std::vector<std::string> values) {
    reqs[1] = {{"key", "karpenter.k8s.aws/instance-gpu-count"}, {"operator", op}, {"values", values}};
    return JudgeNodePools(json::array({pool}), request)[0];
  };
  CHECK(count_requirement("In", {"1", "2", "4"}).why_not ==
        "its requirement on karpenter.k8s.aws/instance-gpu-count admits no instance with 8 GPUs");
  CHECK(count_requirement("In", {"4", "8"}).holds);
  CHECK(count_requirement("Gt", {"0"}).holds);
  CHECK(count_requirement("Gte", {"8"}).holds);
  CHECK_FALSE(count_requirement("Lt", {"8"}).holds);
  CHECK(count_requirement("Lte", {"8"}).holds);
  CHECK_FALSE(count_requirement("DoesNotExist", {}).holds);
  // Two requirements on one key intersect: In [4, 8] and Lt 8 leave only 4.
  count_requirement("In", {"4", "8"});
  reqs.push_back({{"key", "karpenter.k8s.aws/instance-gpu-count"}, {"operator", "Lt"}, {"values", {"8"}}});
  CHECK_FALSE(JudgeNodePools(json::array({pool}), request)[0].holds);
  // Azure's key is read the same way.
  reqs.erase(reqs.size() - 1);
  reqs[1] = {{"key", "karpenter.azure.com/sku-gpu-count"}, {"operator", "Lte"}, {"values", {"4"}}};
  CHECK(JudgeNodePools(json::array({pool}), request)[0].why_not ==
        "its requirement on karpenter.azure.com/sku-gpu-count admits no instance with 8 GPUs");
}

TEST_CASE("without a product asked, a NodePool counts only if it names GPUs") {
  json pool = testing::LoadWorkloadFixture("autoscale/nodepools.json")["items"][1];  // "general"
  GpuFitRequest request = H100Pods();
  request.node_selector.clear();
  request.tolerations = json::array();
  CHECK(JudgeNodePools(json::array({pool}), request)[0].why_not ==
        "it names no GPU instances (no GPU requirement, nvidia.com/gpu.product label or nvidia.com/gpu limit)");
  pool["spec"]["limits"]["nvidia.com/gpu"] = "64";
  CHECK(JudgeNodePools(json::array({pool}), request)[0].holds);
  pool["spec"]["limits"].erase("nvidia.com/gpu");
  pool["spec"]["template"]["spec"]["requirements"].push_back(
      {{"key", "karpenter.k8s.aws/instance-gpu-manufacturer"}, {"operator", "In"}, {"values", {"nvidia"}}});
  CHECK(JudgeNodePools(json::array({pool}), request)[0].holds);
}

TEST_CASE("limits on GPUs and nodes bound the room, the tighter one wins, CPU and memory are not judged") {
  json pool = testing::LoadWorkloadFixture("autoscale/nodepools.json")["items"][0];
  GpuFitRequest request = H100Pods();
  pool["spec"]["limits"] = {{"nvidia.com/gpu", "32"}, {"nodes", "3"}, {"cpu", "1"}};
  NodePoolFit fit = JudgeNodePools(json::array({pool}), request)[0];
  REQUIRE(fit.pods_within_limits.has_value());
  CHECK(*fit.pods_within_limits == 1);  // status.nodes 2 of limits.nodes 3
  CHECK(fit.limit == "limits.nodes 3 with 2 in use");
  pool["spec"]["limits"] = {{"nvidia.com/gpu", "16"}};  // all 16 in use
  fit = JudgeNodePools(json::array({pool}), request)[0];
  CHECK(fit.holds);
  CHECK(*fit.pods_within_limits == 0);
  pool["spec"].erase("limits");
  CHECK_FALSE(JudgeNodePools(json::array({pool}), request)[0].pods_within_limits.has_value());
}

}  // namespace
}  // namespace llm

#include "workload/gpu_capacity.h"

#include <doctest/doctest.h>

#include "unit/workload/fixture.h"

namespace llm {
namespace {

const nlohmann::json kGpuToleration =
    nlohmann::json::array({{{"key", "nvidia.com/gpu"}, {"operator", "Exists"}, {"effect", "NoSchedule"}}});

// GCC warns on designated initializers that skip members; build requests here.
GpuFitRequest Req(int64_t gpus, int64_t pods, bool tolerate_gpu_taint = true,
                  std::map<std::string, std::string> selector = {}, std::map<std::string, std::string> required = {}) {
  GpuFitRequest r;
  r.gpus_per_pod = gpus;
  r.pods = pods;
  if (tolerate_gpu_taint) r.tolerations = kGpuToleration;
  r.node_selector = std::move(selector);
  r.required_node_labels = std::move(required);
  return r;
}

// The fixture cluster: gpu-node-1/2 H100 x8 (tainted nvidia.com/gpu, 8 and 4
// in use), gpu-node-3 H100 x8 cordoned, gpu-node-4 L4 x4 (2 in use), and a
// control-plane node without GPUs.
GpuFit Check(const GpuFitRequest& request) {
  return CheckGpuFit(testing::LoadWorkloadFixture("nodes.json"), testing::LoadWorkloadFixture("cluster-pods.json"),
                     request);
}

TEST_CASE("a request that fits free GPUs now") {
  GpuFit fit = Check(Req(2, 1));
  CHECK(fit.verdict == GpuFitVerdict::kFitsNow);
  CHECK(fit.reason == "1 pod of 2 GPUs fits now: free GPUs have room for 3 (14 of 20 GPUs in use)");
  CHECK(fit.matching_nodes == 3);
}

TEST_CASE("a request that fits the cluster but not the free GPUs") {
  GpuFit fit = Check(Req(8, 1));
  CHECK(fit.verdict == GpuFitVerdict::kFitsClusterNotNow);
  CHECK(fit.reason == "1 pod of 8 GPUs needs 1 node with 8 free GPUs; 0 have them now (14 of 20 GPUs in use)");
}

TEST_CASE("four 8-GPU pods on four nodes of which two are busy") {
  nlohmann::json base = testing::LoadWorkloadFixture("nodes.json")["items"][0];
  nlohmann::json nodes = nlohmann::json::array();
  nlohmann::json pods = nlohmann::json::array();
  for (int i = 1; i <= 4; ++i) {
    nlohmann::json node = base;
    node["metadata"]["name"] = "h100-" + std::to_string(i);
    nodes.push_back(node);
  }
  nlohmann::json busy = testing::LoadWorkloadFixture("cluster-pods.json")["items"][0];  // chat-0, 8 GPUs, Running
  for (const char* node : {"h100-1", "h100-3"}) {
    busy["spec"]["nodeName"] = node;
    pods.push_back(busy);
  }
  GpuFit fit = CheckGpuFit(nodes, pods, Req(8, 4));
  CHECK(fit.verdict == GpuFitVerdict::kFitsClusterNotNow);
  CHECK(fit.reason == "4 pods of 8 GPUs need 4 nodes with 8 free GPUs; 2 have them now (16 of 32 GPUs in use)");
  CHECK(fit.pods_fit_now == 2);
  CHECK(fit.pods_fit_empty == 4);

  fit = CheckGpuFit(nodes, pods, Req(8, 2));
  CHECK(fit.verdict == GpuFitVerdict::kFitsNow);
  CHECK(fit.reason == "2 pods of 8 GPUs fit now: 2 matching nodes have 8 free GPUs (16 of 32 GPUs in use)");

  fit = CheckGpuFit(nodes, pods, Req(4, 6));
  CHECK(fit.verdict == GpuFitVerdict::kFitsClusterNotNow);
  CHECK(fit.reason == "6 pods of 4 GPUs need room for 6 pods; free GPUs have room for 4 now (16 of 32 GPUs in use)");
}

TEST_CASE("requests that can never fit") {
  struct Case {
    const char* name;
    GpuFitRequest request;
    const char* reason;
    int64_t pods_short;  ///< what a node autoscaler would have to add room for
  };
  const Case cases[] = {
      {"a pod larger than any node", Req(16, 1), "each pod needs 16 nvidia.com/gpu; the largest matching node has 8",
       1},
      {"more pods than matching nodes", Req(8, 4, true, {{"nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3"}}),
       "4 pods of 8 GPUs need 4 nodes with 8 GPUs; only 2 matching nodes have that many", 2},
      {"more small pods than the nodes hold", Req(2, 11),
       "11 pods of 2 GPUs need room for 11 pods; the 3 matching nodes can hold 10 even when empty", 1},
      {"a GPU product nobody has", Req(8, 3, true, {{"nvidia.com/gpu.product", "NVIDIA-A100-SXM4-80GB"}}),
       "no node matches nvidia.com/gpu.product=NVIDIA-A100-SXM4-80GB (products present: NVIDIA-H100-80GB-HBM3 x3 "
       "nodes, NVIDIA-L4 x1 node)",
       3},
      {"taints, cordon and the validation label exclude every node",
       Req(1, 1, false, {}, {{"kubectl-llm.dev/gpu-check", "pass"}}),
       "no node can run these pods: 0 of 5 nodes match (1 cordoned, 2 with untolerated taint "
       "nvidia.com/gpu=present:NoSchedule, 1 with untolerated taint node-role.kubernetes.io/control-plane:NoSchedule, "
       "1 not matching kubectl-llm.dev/gpu-check=pass)",
       1},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    GpuFit fit = Check(c.request);
    CHECK(fit.verdict == GpuFitVerdict::kNeverFits);
    CHECK(fit.reason == c.reason);
    CHECK(fit.pods_short == c.pods_short);
  }
}

TEST_CASE("the matching nodes are named, a request that fits lacks nothing") {
  GpuFit fit = Check(Req(8, 4, true, {{"nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3"}}));
  CHECK(fit.matching_node_names == std::vector<std::string>{"gpu-node-1", "gpu-node-2"});
  CHECK(Check(Req(2, 1)).pods_short == 0);
  CHECK(Check(Req(8, 1)).pods_short == 0);  // fits the cluster, not the free GPUs: waiting is enough
}

TEST_CASE("the GPU product a request asks for: node selector, else required affinity") {
  CHECK(WantedGpuProduct(Req(8, 1)).empty());
  CHECK(WantedGpuProduct(Req(8, 1, true, {}, {{"nvidia.com/gpu.product", "NVIDIA-L4"}})) == "NVIDIA-L4");
  CHECK(WantedGpuProduct(Req(8, 1, true, {{"nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3"}},
                             {{"nvidia.com/gpu.product", "NVIDIA-L4"}})) == "NVIDIA-H100-80GB-HBM3");
}

TEST_CASE("nodes without GPUs and an empty cluster") {
  nlohmann::json nodes = testing::LoadWorkloadFixture("nodes.json");
  nlohmann::json cpu_only = nlohmann::json::array({nodes["items"][4]});
  cpu_only[0]["spec"].erase("taints");
  GpuFit fit = CheckGpuFit(cpu_only, nlohmann::json::array(), Req(1, 1, false));
  CHECK(fit.reason == "no node can run these pods: 0 of 1 node match (1 without nvidia.com/gpu)");
  fit = CheckGpuFit(nlohmann::json::array(), nlohmann::json::array(), Req(1, 1, false));
  CHECK(fit.reason == "the cluster has no nodes");
}

TEST_CASE("verdict names are stable") {
  CHECK(GpuFitVerdictName(GpuFitVerdict::kFitsNow) == "FitsNow");
  CHECK(GpuFitVerdictName(GpuFitVerdict::kFitsClusterNotNow) == "FitsClusterNotNow");
  CHECK(GpuFitVerdictName(GpuFitVerdict::kNeverFits) == "NeverFits");
}

TEST_CASE("no GPUs requested always fits") {
  GpuFit fit = Check(Req(0, 1));
  CHECK(fit.verdict == GpuFitVerdict::kFitsNow);
  CHECK(fit.reason == "no nvidia.com/gpu requested");
}

}  // namespace
}  // namespace llm

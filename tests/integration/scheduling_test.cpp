// Scheduling in the local control plane is real: the scheduler places pods on
// kwok's fake GPU nodes, and refuses what does not fit with its own message.
#include <chrono>
#include <string>
#include <thread>

#include <doctest/doctest.h>

#include "integration/kube_client.h"
#include "integration/test_cluster.h"

namespace llm::testing {
namespace {

/// Polls `kubectl get` until its output contains `want` (the test's own
/// observation loop; the product code watches instead).
std::string WaitForOutput(const std::vector<std::string>& args, const std::string& want) {
  std::string last;
  for (int i = 0; i < 150; ++i) {
    CommandOutput r = TestCluster::Get().Kubectl("admin", args);
    last = r.out + r.err;
    if (last.find(want) != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return last;
}

TEST_CASE("a pod asking for 16 GPUs stays Pending with the scheduler's reason") {
  const TestCluster& cluster = TestCluster::Get();
  ScopedNamespace ns("scheduling-too-big");
  const std::string& kNamespace = ns.name();
  {
    CommandOutput r = cluster.Kubectl("admin", {"apply", "-n", kNamespace, "-f", "-"}, R"(
apiVersion: v1
kind: Pod
metadata: {name: too-big}
spec:
  tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
  containers:
  - name: main
    image: registry.example/llm:latest
    resources: {limits: {nvidia.com/gpu: "16"}}
)");
    REQUIRE(r.exit_code == 0);
    std::string out =
        WaitForOutput({"get", "pod", "too-big", "-n", kNamespace, "-o",
                       "jsonpath={.status.phase} {.status.conditions[?(@.type==\"PodScheduled\")].message}"},
                      "Insufficient nvidia.com/gpu");
    CHECK(out.find("Pending") == 0);
    CHECK(out.find("Insufficient nvidia.com/gpu") != std::string::npos);
  }
}

TEST_CASE("a Deployment that tolerates the GPU taint gets Running pods on GPU nodes") {
  const TestCluster& cluster = TestCluster::Get();
  ScopedNamespace ns("scheduling-fits");
  const std::string& kNamespace = ns.name();
  {
    CommandOutput r = cluster.Kubectl("admin", {"apply", "-n", kNamespace, "-f", "-"}, R"(
apiVersion: apps/v1
kind: Deployment
metadata: {name: fits}
spec:
  replicas: 2
  selector: {matchLabels: {app: fits}}
  template:
    metadata: {labels: {app: fits}}
    spec:
      tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
      containers:
      - name: main
        image: registry.example/llm:latest
        resources: {limits: {nvidia.com/gpu: "4"}}
)");
    REQUIRE(r.exit_code == 0);
    CommandOutput wait =
        cluster.Kubectl("admin", {"rollout", "status", "deployment/fits", "-n", kNamespace, "--timeout=60s"});
    CHECK(wait.exit_code == 0);
    CommandOutput pods =
        cluster.Kubectl("admin", {"get", "pods", "-n", kNamespace, "-l", "app=fits", "-o",
                                  "jsonpath={range .items[*]}{.status.phase} {.spec.nodeName}{\"\\n\"}{end}"});
    CHECK(pods.out.find("Running gpu-node-") == 0);
  }
}

}  // namespace
}  // namespace llm::testing

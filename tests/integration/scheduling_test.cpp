// Scheduling in the local control plane is real: the scheduler places pods on
// kwok's fake GPU nodes, and refuses what does not fit with its own message.
#include <chrono>
#include <string>
#include <thread>

#include <doctest/doctest.h>

#include "integration/kube_client.h"
#include "integration/run_command.h"
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

constexpr char kFitPool[] = "kubectl-llm.test/pool=fit";
constexpr char kFitPoolTaint[] = "kubectl-llm.test/pool=fit:NoSchedule";

/// Two fake 8-GPU nodes in their own pool, tainted so that no other test's
/// pod uses their GPUs, removed again at the end.
class FitPoolNodes {
 public:
  FitPoolNodes() {
    CommandOutput list = RunCommand({std::string(LLM_SOURCE_DIR) + "/tests/cluster/nodes.sh", "gpu", "2", "fit-node-"});
    REQUIRE(list.exit_code == 0);
    CommandOutput applied = Admin({"apply", "--server-side", "-f", "-"}, list.out);
    REQUIRE_MESSAGE(applied.exit_code == 0, applied.err);
    CommandOutput labelled = Admin({"label", "--overwrite", "node/fit-node-0", "node/fit-node-1", kFitPool});
    REQUIRE_MESSAGE(labelled.exit_code == 0, labelled.err);
    CommandOutput tainted = Admin({"taint", "nodes", "fit-node-0", "fit-node-1", "--overwrite", kFitPoolTaint});
    REQUIRE_MESSAGE(tainted.exit_code == 0, tainted.err);
    CommandOutput ready =
        Admin({"wait", "--for=condition=Ready", "--timeout=60s", "node/fit-node-0", "node/fit-node-1"});
    REQUIRE_MESSAGE(ready.exit_code == 0, ready.err);
  }
  ~FitPoolNodes() { Admin({"delete", "--wait=false", "node/fit-node-0", "node/fit-node-1"}); }

 private:
  static CommandOutput Admin(const std::vector<std::string>& args, const std::string& input = "") {
    return TestCluster::Get().Kubectl("admin", args, input);
  }
};

TEST_CASE("preflight's GPU fit, read node by node from the watch cache, agrees with the scheduler") {
  FitPoolNodes nodes;
  ScopedNamespace ns("scheduling-preflight");
  auto serve = [&](const std::string& name, const std::string& replicas, std::vector<std::string> more) {
    std::vector<std::string> args = {
        "serve",        name,          "-n",         ns.name(), "--model",         "org/m",
        "--gpus",       "8",           "--replicas", replicas,  "--node-selector", kFitPool,
        "--toleration", kFitPoolTaint, "-v=6"};
    args.insert(args.end(), more.begin(), more.end());
    return TestCluster::Get().Plugin("admin", args);
  };
  auto fit_warning = [](const CommandOutput& out) { return out.err.find("GPUs in use") != std::string::npos; };

  // Both nodes free: the first pod fits, and the scheduler runs it.
  CommandOutput first = serve("first", "1", {"--wait", "--timeout", "60s"});
  REQUIRE_MESSAGE(first.exit_code == 0, first.err);
  CHECK_FALSE(fit_warning(first));
  // Read from the watch cache, the pool's nodes one by one (the first has room: one read), never the whole cluster.
  CHECK(first.err.find("fieldSelector=spec.nodeName%3Dfit-node-0%2Cstatus.phase") != std::string::npos);
  CHECK(first.err.find("resourceVersion=0") != std::string::npos);
  CHECK(first.err.find("fieldSelector=spec.nodeName%21%3D") == std::string::npos);

  // One node busy: the second fits the other, and the scheduler agrees.
  CommandOutput second = serve("second", "1", {"--wait", "--timeout", "60s"});
  REQUIRE_MESSAGE(second.exit_code == 0, second.err);
  CHECK_FALSE(fit_warning(second));

  // Both busy: preflight says it fits the pool but not now, and the scheduler keeps the pod Pending for GPUs.
  CommandOutput third = serve("third", "1", {});
  REQUIRE_MESSAGE(third.exit_code == 0, third.err);
  CHECK_MESSAGE(third.err.find("16 of 16 GPUs in use") != std::string::npos, third.err);
  const std::string pending = WaitForOutput(
      {"get", "pods", "-n", ns.name(), "-l", "app.kubernetes.io/instance=third", "-o",
       "jsonpath={.items[0].status.phase} {.items[0].status.conditions[?(@.type==\"PodScheduled\")].message}"},
      "Insufficient nvidia.com/gpu");
  CHECK(pending.find("Pending") == 0);
  CHECK(pending.find("Insufficient nvidia.com/gpu") != std::string::npos);

  // Three nodes' worth never fits the pool: refused before anything is read of the pods.
  CommandOutput never = serve("never", "3", {});
  CHECK(never.exit_code == 1);
  CHECK(never.err.find("only 2 matching nodes have that many") != std::string::npos);
  CHECK(never.err.find("/api/v1/pods?") == std::string::npos);
}

}  // namespace
}  // namespace llm::testing

// serve/train preflight where a node autoscaler could add the GPU nodes a
// request lacks, against the local control plane with Karpenter's real CRDs
// (tests/cluster/build.sh collects them from sigs.k8s.io/karpenter): every
// NodePool here is validated by the API server with Karpenter's schema. No
// Karpenter controller runs (none is needed: the preflight reads NodePools,
// nothing here waits for a node to appear), and no cluster-autoscaler either,
// so the scale-up event a cluster-autoscaler writes on a pod it makes room for
// is created by the test, as that component would write it.
//
// Integration tests share one cluster and run two at a time, and others expect
// today's refusals. So each NodePool here carries a taint of its own
// (kubectl-llm.test/pool=VALUE:NoSchedule) that only this file's pods
// tolerate (added with --patch), and offers GPU products no other test asks
// for; each is deleted when its test ends.
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "integration/kube_client.h"
#include "integration/test_cluster.h"

namespace llm::testing {
namespace {

CommandOutput Llm(const std::vector<std::string>& args) { return TestCluster::Get().Plugin("admin", args); }
CommandOutput Kubectl(const std::vector<std::string>& args, const std::string& input = "") {
  return TestCluster::Get().Kubectl("admin", args, input);
}

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// A NodePool offering `product` on nodes tainted kubectl-llm.test/pool=`taint`,
/// applied through the real CRD and deleted at the end of the scope.
class ScopedNodePool {
 public:
  ScopedNodePool(std::string name, const std::string& product, const std::string& taint) : name_(std::move(name)) {
    CommandOutput r = Kubectl({"apply", "-f", "-"}, R"(apiVersion: karpenter.sh/v1
kind: NodePool
metadata:
  name: )" + name_ + R"(
spec:
  template:
    metadata:
      labels:
        nvidia.com/gpu.product: )" + product + R"(
    spec:
      nodeClassRef: {group: karpenter.kwok.sh, kind: KWOKNodeClass, name: default}
      requirements:
      - {key: kubernetes.io/arch, operator: In, values: [amd64]}
      - {key: karpenter.sh/capacity-type, operator: In, values: [on-demand]}
      taints:
      - {key: nvidia.com/gpu, value: present, effect: NoSchedule}
      - {key: kubectl-llm.test/pool, value: )" + taint + R"(, effect: NoSchedule}
  limits:
    nvidia.com/gpu: "64"
)");
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  }
  ~ScopedNodePool() { Kubectl({"delete", "nodepool", name_, "--ignore-not-found", "--wait=false"}); }
  ScopedNodePool(const ScopedNodePool&) = delete;
  ScopedNodePool& operator=(const ScopedNodePool&) = delete;

 private:
  std::string name_;
};

/// A merge patch for a Deployment's pod template: the GPU taint's toleration
/// (which serve renders; a merge patch replaces the whole list) plus one for
/// kubectl-llm.test/pool=`taint`.
class TolerationPatch {
 public:
  TolerationPatch(const std::string& taint, const std::string& test_name) {
    path_ = (std::filesystem::temp_directory_path() /
             ("autoscale-" + test_name + "-" + std::to_string(::getpid()) + ".json"))
                .string();
    nlohmann::json patch = {{"spec",
                             {{"template",
                               {{"spec",
                                 {{"tolerations",
                                   {{{"key", "nvidia.com/gpu"}, {"operator", "Exists"}, {"effect", "NoSchedule"}},
                                    {{"key", "kubectl-llm.test/pool"},
                                     {"operator", "Equal"},
                                     {"value", taint},
                                     {"effect", "NoSchedule"}}}}}}}}}}};
    std::ofstream(path_) << patch.dump();
  }
  ~TolerationPatch() { std::filesystem::remove(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// The pods of instance `name` in `ns` once there are `count` of them.
nlohmann::json WaitForPods(const std::string& ns, const std::string& name, size_t count) {
  nlohmann::json pods = nlohmann::json::array();
  for (int i = 0; i < 150; ++i) {
    CommandOutput r = Kubectl({"get", "pods", "-n", ns, "-l", "app.kubernetes.io/instance=" + name, "-o", "json"});
    if (r.exit_code == 0) pods = nlohmann::json::parse(r.out)["items"];
    if (pods.size() >= count) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return pods;
}

std::string Now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

/// The Event the cluster-autoscaler records on a pod it scales up for
/// (processors/status/eventing_scale_up_processor.go: reason TriggeredScaleUp,
/// "pod triggered scale-up: [{GROUP CURRENT->NEW (max: MAX)}]").
void RecordScaleUp(const nlohmann::json& pod, const std::string& message) {
  const nlohmann::json& meta = pod["metadata"];
  nlohmann::json event = {
      {"apiVersion", "v1"},
      {"kind", "Event"},
      {"metadata", {{"name", meta["name"].get<std::string>() + ".scaleup"}, {"namespace", meta["namespace"]}}},
      {"involvedObject",
       {{"apiVersion", "v1"},
        {"kind", "Pod"},
        {"name", meta["name"]},
        {"namespace", meta["namespace"]},
        {"uid", meta["uid"]}}},
      {"reason", "TriggeredScaleUp"},
      {"message", message},
      {"type", "Normal"},
      {"source", {{"component", "cluster-autoscaler"}}},
      {"reportingComponent", "cluster-autoscaler"},
      {"firstTimestamp", Now()},
      {"lastTimestamp", Now()},
      {"count", 1}};
  CommandOutput r = Kubectl({"create", "-f", "-"}, event.dump());
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
}

std::vector<std::string> ServeArgs(const std::string& name, const std::string& ns, const std::string& product,
                                   const std::string& patch) {
  std::vector<std::string> args = {"serve",  name, "-n",         ns,  "--model",       "org/m",
                                   "--gpus", "8",  "--replicas", "2", "--gpu-product", product};
  if (!patch.empty()) {
    args.push_back("--patch");
    args.push_back("deployment/" + name + "=" + patch);
  }
  return args;
}

TEST_CASE(
    "serve beyond today's GPU nodes where a Karpenter NodePool offers the product: a warning, applied, and "
    "--wait explains the pending pods as waiting for scale-up") {
  ScopedNamespace ns("autoscale-karpenter");
  ScopedNodePool pool("kubectl-llm-test-b200", "NVIDIA-B200", "karpenter-b200");
  TolerationPatch patch("karpenter-b200", "warn");
  const std::vector<std::string> args = ServeArgs("b200", ns.name(), "NVIDIA-B200", patch.path());

  CommandOutput out = Llm(args);
  REQUIRE_MESSAGE(out.exit_code == 0, out.err);
  CHECK(out.err.starts_with("Warning: no node matches nvidia.com/gpu.product=NVIDIA-B200 (products present: "));
  CHECK(
      out.err.ends_with("); Karpenter NodePool \"kubectl-llm-test-b200\" may add nodes for 2 more pods of 8 "
                        "NVIDIA-B200 GPUs; the pods stay Pending until then\n"));
  CHECK(Contains(out.out, "deployment.apps/b200 created\n"));

  // No autoscaler runs here: write what the cluster-autoscaler writes when it
  // scales a node group up for these pods.
  const nlohmann::json pods = WaitForPods(ns.name(), "b200", 2);
  REQUIRE(pods.size() == 2);
  const std::string scale_up =
      "pod triggered scale-up: [{eks-gpu-b200-5f1c2d3e-4a5b-6c7d-8e9f-0a1b2c3d4e5f 0->2 (max: 8)}]";
  for (const nlohmann::json& pod : pods) RecordScaleUp(pod, scale_up);

  std::vector<std::string> wait = args;
  for (const char* arg : {"--wait", "--timeout", "10s"}) wait.push_back(arg);
  CommandOutput waited = Llm(wait);
  CHECK_MESSAGE(waited.exit_code == 5, waited.err);  // a timeout: the nodes never come here
  CHECK(Contains(waited.err, "error: timed out after 10s waiting for deployments.apps/b200: pod b200-"));
  CHECK(Contains(waited.err, " (and 1 more) waits for a new node: the cluster-autoscaler is adding one (" + scale_up +
                                 "); until it joins, the scheduler says: 0/"));
  CHECK(Contains(waited.err, "didn't match Pod's node affinity/selector"));
  CHECK(Llm({"delete", "b200", "-n", ns.name()}).exit_code == 0);
}

TEST_CASE("serve beyond today's GPU nodes without a NodePool that could hold the pods: the refusal as before") {
  ScopedNamespace ns("autoscale-refused");
  TolerationPatch patch("karpenter-gb200", "refuse");
  const std::string refused_prefix =
      "error: preflight: no node matches nvidia.com/gpu.product=NVIDIA-GB200 (products present: ";
  const std::string refused_suffix = "); nothing was applied (--skip-preflight applies anyway)\n";
  auto expect_refusal = [&](const CommandOutput& out) {
    CHECK(out.exit_code == 1);
    CHECK(out.out.empty());
    CHECK_MESSAGE(out.err.starts_with(refused_prefix), out.err);
    CHECK(out.err.ends_with(refused_suffix));
    CHECK(std::count(out.err.begin(), out.err.end(), '\n') == 1);
    CHECK(Kubectl({"get", "deployment", "gb200", "-n", ns.name()}).exit_code != 0);  // nothing applied
  };
  const std::vector<std::string> args = ServeArgs("gb200", ns.name(), "NVIDIA-GB200", patch.path());

  INFO("no NodePool offers the product");
  expect_refusal(Llm(args));
  {
    INFO("a NodePool offering it, whose taint the pods do not tolerate");
    ScopedNodePool other("kubectl-llm-test-gb200-other", "NVIDIA-GB200", "karpenter-gb200-other");
    expect_refusal(Llm(args));
  }
  {
    INFO("a NodePool whose taint the pods tolerate, offering another product");
    ScopedNodePool l40s("kubectl-llm-test-l40s", "NVIDIA-L40S", "karpenter-gb200");
    expect_refusal(Llm(args));
  }
  {
    INFO("a NodePool offering it with the pods' toleration, but not the pods without --patch");
    ScopedNodePool gb200("kubectl-llm-test-gb200", "NVIDIA-GB200", "karpenter-gb200");
    expect_refusal(Llm(ServeArgs("gb200", ns.name(), "NVIDIA-GB200", "")));
    // The same request with the toleration is applied: the refusals above were the NodePools' doing.
    CommandOutput applied = Llm(args);
    CHECK_MESSAGE(applied.exit_code == 0, applied.err);
    CHECK(Contains(applied.err,
                   "; Karpenter NodePool \"kubectl-llm-test-gb200\" may add nodes for 2 more pods of 8 "
                   "NVIDIA-GB200 GPUs; the pods stay Pending until then\n"));
    CHECK(Llm({"delete", "gb200", "-n", ns.name()}).exit_code == 0);
  }
}

}  // namespace
}  // namespace llm::testing

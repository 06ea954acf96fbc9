#include "faults/gated_gpu_nodes.h"

#include <unistd.h>

#include <chrono>
#include <sstream>
#include <thread>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "faults/kubectl_json.h"
#include "integration/kube_client.h"
#include "integration/run_command.h"
#include "integration/test_cluster.h"

namespace llm::testing {
namespace {

using nlohmann::json;

constexpr int kNodes = 2;
constexpr const char* kVerdictLabel = "kubectl-llm.dev/gpu-check";
constexpr const char* kTaint = "kubectl-llm.test/faults=gpu-check-only:NoSchedule";

}  // namespace

GatedGpuNodes::GatedGpuNodes(std::string ns) : ns_(std::move(ns)) {
  const TestCluster& cluster = TestCluster::Get();
  const std::string prefix = "fault-gpu-" + std::to_string(::getpid()) + "-";
  CommandOutput list =
      RunCommand({std::string(LLM_SOURCE_DIR) + "/tests/cluster/nodes.sh", "gpu", std::to_string(kNodes), prefix});
  REQUIRE(list.exit_code == 0);
  CommandOutput applied = cluster.Kubectl("admin", {"apply", "--server-side", "-f", "-"}, list.out);
  REQUIRE_MESSAGE(applied.exit_code == 0, applied.err);
  std::vector<std::string> taint = {"taint", "nodes"};
  std::vector<std::string> wait = {"wait", "--for=condition=Ready", "--timeout=60s"};
  for (int i = 0; i < kNodes; ++i) {
    names_.push_back(prefix + std::to_string(i));
    taint.push_back(names_.back());
    wait.push_back("node/" + names_.back());
  }
  taint.push_back(kTaint);
  CommandOutput tainted = cluster.Kubectl("admin", taint);
  REQUIRE_MESSAGE(tainted.exit_code == 0, tainted.err);
  CommandOutput ready = cluster.Kubectl("admin", wait);
  REQUIRE_MESSAGE(ready.exit_code == 0, ready.err);
  auto open = open_;
  kubelet_ = std::make_unique<FakeGpuKubelet>(admin_.client, ns_, [open](const std::string&) {
    return open->load() ? FakeOutcome::kPass : FakeOutcome::kSilent;
  });
}

GatedGpuNodes::~GatedGpuNodes() {
  kubelet_->Stop();
  std::vector<std::string> del = {"delete", "--wait=false"};
  for (const std::string& name : names_) del.push_back("node/" + name);
  TestCluster::Get().Kubectl("admin", del);
}

void GatedGpuNodes::Reset() {
  open_->store(false);
  std::vector<std::string> label = {"label", "nodes"};
  std::vector<std::string> annotate = {"annotate", "nodes"};
  std::vector<std::string> untaint = {"taint", "nodes"};
  for (const std::string& name : names_) {
    label.push_back(name);
    annotate.push_back(name);
    untaint.push_back(name);
  }
  for (const char* key :
       {"kubectl-llm.dev/gpu-check-", "kubectl-llm.dev/gpu-check-time-", "kubectl-llm.dev/gpu-check-valid-until-"}) {
    label.push_back(key);
  }
  annotate.push_back("kubectl-llm.dev/gpu-check-summary-");
  untaint.push_back("kubectl-llm.dev/gpu-check-");
  const TestCluster& cluster = TestCluster::Get();
  cluster.Kubectl("admin", label);
  cluster.Kubectl("admin", annotate);
  cluster.Kubectl("admin", untaint);  // exit 1 when no node has it: nothing to undo
  for (const std::string& name : names_) {
    json node = KubectlJson({"get", "node", name, "-o", "json"});
    REQUIRE_MESSAGE(!node["metadata"]["labels"].contains(kVerdictLabel), name, " kept its verdict");
  }
}

void GatedGpuNodes::Open() {
  open_->store(true);
  // Pods the fake kubelet let pass before the gate opened are answered on
  // their next event: an annotation makes one.
  TestCluster::Get().Kubectl(
      "admin", {"-n", ns_, "annotate", "--overwrite", "pods", "-l", "app.kubernetes.io/component=gpu-check",
                "kubectl-llm.test/gate=open-" + std::to_string(::time(nullptr))});
}

std::string GatedGpuNodes::CheckVerdicts(bool all_pass) const {
  std::string wrong;
  for (const std::string& name : names_) {
    json node = KubectlJson({"get", "node", name, "-o", "json"});
    const std::string verdict = node["metadata"].value("labels", json::object()).value(kVerdictLabel, "");
    if (verdict.empty() && all_pass) {
      wrong += (wrong.empty() ? "" : "; ") + name + " has no recorded verdict";
    } else if (!verdict.empty() && verdict != "pass") {
      const std::string summary =
          node["metadata"].value("annotations", json::object()).value("kubectl-llm.dev/gpu-check-summary", "");
      wrong += (wrong.empty() ? "" : "; ") + name + " recorded '" + verdict +
               "', a verdict the run did not see its self-test reach (" + summary + ")";
    }
  }
  return wrong;
}

std::string GatedGpuNodes::CheckNoPodsLeft() const {
  CommandOutput pods;
  for (int i = 0; i < 60; ++i) {
    pods = TestCluster::Get().Kubectl(
        "admin", {"get", "pods", "-n", ns_, "-l", "app.kubernetes.io/component=gpu-check", "-o", "name"});
    if (pods.exit_code == 0 && pods.out.empty()) return "";
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  return "gpu-check pods left: " + pods.out;
}

}  // namespace llm::testing

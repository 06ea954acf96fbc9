// validate-nodes against the real control plane. No GPU runs here, so
// FakeGpuKubelet plays the kubelet's last part: kwok makes each gpu-check pod
// Running, then the fake ends it with the termination summary gpu_check's own
// writer produces. The pods carry no owner, so kwok's default stages (which
// complete only Job pods) leave the status the fake writes alone.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "integration/fake_gpu_kubelet.h"
#include "integration/test_cluster.h"
#include "kube/client_factory.h"

namespace llm::testing {
namespace {

using nlohmann::json;

constexpr int kNodes = 20;
constexpr const char* kNamespace = "kubectl-llm-gpu-check";

std::string NodeName(int i) { return "val-node-" + std::to_string(i); }

json KubectlJson(const std::vector<std::string>& args) {
  CommandOutput r = TestCluster::Get().Kubectl("admin", args);
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  return json::parse(r.out);
}

/// The nodes of this test, created (and removed again) around it.
class ValidationNodes {
 public:
  ValidationNodes() {
    CommandOutput list = RunCommand(
        {std::string(LLM_SOURCE_DIR) + "/tests/cluster/nodes.sh", "gpu", std::to_string(kNodes), "val-node-"});
    REQUIRE(list.exit_code == 0);
    CommandOutput applied = TestCluster::Get().Kubectl("admin", {"apply", "--server-side", "-f", "-"}, list.out);
    REQUIRE_MESSAGE(applied.exit_code == 0, applied.err);
    std::vector<std::string> wait = {"wait", "--for=condition=Ready", "--timeout=60s"};
    for (int i = 0; i < kNodes; ++i) wait.push_back("node/" + NodeName(i));
    CommandOutput ready = TestCluster::Get().Kubectl("admin", wait);
    REQUIRE_MESSAGE(ready.exit_code == 0, ready.err);
  }
  ~ValidationNodes() {
    std::vector<std::string> del = {"delete", "--wait=false"};
    for (int i = 0; i < kNodes; ++i) del.push_back("node/" + NodeName(i));
    TestCluster::Get().Kubectl("admin", del);
  }
};

std::shared_ptr<kube::RestClient> AdminClient() {
  static std::istringstream in;
  static std::ostringstream out, err;
  kube::ConfigFlags flags;
  flags.kubeconfig = TestCluster::Get().Kubeconfig("admin");
  IoStreams streams{in, out, err};
  auto connection = kube::Connect(flags, streams);
  REQUIRE(connection.ok());
  return connection->client;
}

bool HasGpuCheckTaint(const json& node) {
  for (const json& taint : node["spec"].value("taints", json::array())) {
    if (taint.value("key", "") == "kubectl-llm.dev/gpu-check") {
      CHECK(taint.value("value", "") == "failed");
      CHECK(taint.value("effect", "") == "NoSchedule");
      return true;
    }
  }
  return false;
}

bool HasDevicePluginTaint(const json& node) {
  for (const json& taint : node["spec"].value("taints", json::array())) {
    if (taint.value("key", "") == "nvidia.com/gpu") return true;
  }
  return false;
}

/// This run's pods are gone and the namespace the run created is deleted (or being deleted).
void CheckNothingLeft() {
  // Deleted pods go through their grace period (kwok ends them): allow it.
  CommandOutput pods;
  for (int i = 0; i < 60; ++i) {
    pods = TestCluster::Get().Kubectl("admin", {"get", "pods", "-n", kNamespace, "-o", "name"});
    if (pods.out.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  CHECK(pods.out == "");
  CommandOutput ns = TestCluster::Get().Kubectl("admin", {"get", "namespace", kNamespace, "-o", "json"});
  if (ns.exit_code == 0) CHECK(json::parse(ns.out)["metadata"].contains("deletionTimestamp"));
}

TEST_CASE("validate-nodes: 20 nodes get verdicts, labels, annotations and taints, a fixed node is untainted") {
  ValidationNodes nodes;
  const std::set<std::string> failing = {NodeName(3), NodeName(7)};
  const std::string silent = NodeName(11);
  std::atomic<bool> node3_fixed{false};
  FakeGpuKubelet kubelet(AdminClient(), kNamespace, [&](const std::string& node) {
    if (node == silent) return FakeOutcome::kSilent;
    if (node == NodeName(3) && node3_fixed) return FakeOutcome::kPass;
    if (node == NodeName(7)) return FakeOutcome::kHealthFail;  // a failing health check, recorded alike
    return failing.contains(node) ? FakeOutcome::kFail : FakeOutcome::kPass;
  });

  const std::string page = (std::filesystem::temp_directory_path() / "llm-validate-nodes-20.html").string();
  std::filesystem::remove(page);
  std::vector<std::string> args = {
      "validate-nodes", "--record", "--taint-failed", "--timeout", "30s", "--max-parallel", "6", "-o", "json",
      "--report",       page};
  for (int i = 0; i < kNodes; ++i) args.push_back(NodeName(i));
  CommandOutput run = TestCluster::Get().Plugin("admin", args);
  INFO(run.err);
  CHECK(run.exit_code == 1);
  json report = json::parse(run.out);
  CHECK(report["kind"] == "NodeValidationReport");
  CHECK(report["status"]["summary"] ==
        json{{"tested", 20}, {"passed", 17}, {"failed", 2}, {"errors", 1}, {"skipped", 0}});
  for (const json& result : report["status"]["nodes"]) {
    const std::string name = result["name"];
    INFO(name);
    if (name == silent) {
      CHECK(result["verdict"] == "error");
      CHECK(result["reason"] == "timed out after 30s");
    } else if (name == NodeName(7)) {
      CHECK(result["verdict"] == "fail");
      CHECK(result["exitCode"] == 2);
      CHECK(result["suspectGpus"] == json::array({5}));
      CHECK(result["reason"] ==
            "health: gpu 5: 2 uncorrectable ECC errors since the driver loaded (2 during this run)");
      CHECK(result["health"]["failed"] ==
            json::array({{{"gpu", 5}, {"rule", "ecc_uncorrectable"}}, {{"gpu", 5}, {"rule", "xid"}}}));
      CHECK(result["detail"]["hbmGBps"].size() == 8);
    } else if (failing.contains(name)) {
      CHECK(result["verdict"] == "fail");
      CHECK(result["exitCode"] == 1);
      CHECK(result["suspectGpus"] == json::array({3}));
      CHECK(result["reason"].get<std::string>().find("gpu 3") != std::string::npos);
    } else {
      CHECK(result["verdict"] == "pass");
      CHECK(result["reason"] == "");
      CHECK(result["exitCode"] == 0);
      CHECK(result["model"] == "H100-SXM");
      CHECK(result["product"] == "NVIDIA-H100-80GB-HBM3");
    }
  }

  for (int i = 0; i < kNodes; ++i) {
    const std::string name = NodeName(i);
    INFO(name);
    json node = KubectlJson({"get", "node", name, "-o", "json"});
    const json& labels = node["metadata"]["labels"];
    const std::string want = name == silent ? "error" : failing.contains(name) ? "fail" : "pass";
    CHECK(labels.value("kubectl-llm.dev/gpu-check", "") == want);
    const long long checked = std::stoll(labels.value("kubectl-llm.dev/gpu-check-time", "0"));
    const long long valid_until = std::stoll(labels.value("kubectl-llm.dev/gpu-check-valid-until", "0"));
    CHECK(valid_until - checked == 7 * 86400);
    json summary = json::parse(node["metadata"]["annotations"].value("kubectl-llm.dev/gpu-check-summary", "{}"));
    CHECK(summary["verdict"] == want);
    if (name == NodeName(7)) CHECK(summary["reason"].get<std::string>().starts_with("health: gpu 5:"));
    CHECK(HasGpuCheckTaint(node) == failing.contains(name));
    CHECK(HasDevicePluginTaint(node));  // every other taint kept as it was
  }
  CheckNothingLeft();

  // The page of the run, and `nodes -o wide` showing why node 7 failed.
  std::ifstream drawn(page);
  std::stringstream html;
  html << drawn.rdbuf();
  CHECK(html.str().find("<div class=\"card\"><b>20</b>tested</div>") != std::string::npos);
  CHECK(html.str().find("health: gpu 5: 2 uncorrectable ECC errors") != std::string::npos);
  CommandOutput wide = TestCluster::Get().Plugin("admin", {"nodes", "-o", "wide"});
  INFO(wide.err);
  CHECK(wide.exit_code == 0);
  bool shown = false;
  for (std::size_t start = 0, end; (end = wide.out.find('\n', start)) != std::string::npos; start = end + 1) {
    const std::string line = wide.out.substr(start, end - start);
    if (line.starts_with(NodeName(7) + " ")) {
      shown = line.ends_with("health: gpu 5: 2 uncorrectable ECC errors since the driver loaded (2 during this run)");
    }
  }
  CHECK(shown);

  // The operator fixes node 3; a re-run passes it and takes its taint away.
  node3_fixed = true;
  CommandOutput rerun = TestCluster::Get().Plugin(
      "admin", {"validate-nodes", NodeName(3), "--record", "--taint-failed", "--timeout", "30s", "-o", "json"});
  INFO(rerun.err);
  CHECK(rerun.exit_code == 0);
  CHECK(json::parse(rerun.out)["status"]["summary"]["passed"] == 1);
  json fixed = KubectlJson({"get", "node", NodeName(3), "-o", "json"});
  CHECK(fixed["metadata"]["labels"]["kubectl-llm.dev/gpu-check"] == "pass");
  CHECK_FALSE(HasGpuCheckTaint(fixed));
  CHECK(HasDevicePluginTaint(fixed));
  CHECK(HasGpuCheckTaint(KubectlJson({"get", "node", NodeName(7), "-o", "json"})));
  CheckNothingLeft();
  kubelet.Stop();
  CHECK(kubelet.error() == "");
}

TEST_CASE("validate-nodes: --keep leaves the pods and the namespace") {
  ValidationNodes nodes;
  FakeGpuKubelet kubelet(AdminClient(), kNamespace, [](const std::string&) { return FakeOutcome::kPass; });
  CommandOutput run = TestCluster::Get().Plugin("admin", {"validate-nodes", NodeName(0), NodeName(1), "--keep"});
  INFO(run.err);
  CHECK(run.exit_code == 0);
  CHECK(run.out.find("NODE") == 0);
  CommandOutput pods = TestCluster::Get().Kubectl(
      "admin", {"get", "pods", "-n", kNamespace, "-l", "app.kubernetes.io/component=gpu-check", "-o", "name"});
  CHECK(std::count(pods.out.begin(), pods.out.end(), '\n') == 2);
  TestCluster::Get().Kubectl("admin", {"delete", "namespace", kNamespace, "--wait=false"});
  kubelet.Stop();
}

TEST_CASE("validate-nodes: --dry-run prints the pods, server dry run creates nothing") {
  ValidationNodes nodes;
  CommandOutput client =
      TestCluster::Get().Plugin("admin", {"validate-nodes", NodeName(0), "--dry-run=client", "-o", "json"});
  INFO(client.err);
  REQUIRE(client.exit_code == 0);
  json list = json::parse(client.out);
  REQUIRE(list["items"].size() == 1);
  const json& pod = list["items"][0];
  CHECK(pod["spec"]["nodeName"] == NodeName(0));
  CHECK(pod["spec"]["automountServiceAccountToken"] == false);
  CHECK(pod["spec"]["tolerations"].dump().find("kubectl-llm.dev/gpu-check") != std::string::npos);

  TestCluster::Get().CreateNamespace("val-dry");
  CommandOutput server = TestCluster::Get().Plugin(
      "admin", {"validate-nodes", NodeName(0), NodeName(1), "-n", "val-dry", "--dry-run=server"});
  INFO(server.err);
  CHECK(server.exit_code == 0);
  CHECK(server.out.find("created on node val-node-1 (server dry run)") != std::string::npos);
  CHECK(TestCluster::Get().Kubectl("admin", {"get", "pods", "-n", "val-dry", "-o", "name"}).out == "");
  TestCluster::Get().Kubectl("admin", {"delete", "namespace", "val-dry", "--wait=false"});
}

TEST_CASE("validate-nodes --record: a node whose pod could not be created keeps the verdict it had") {
  // The run never saw this node's self-test: a quota refuses the pod. Its
  // earlier pass must stand, not become an error that says nothing of the node.
  const std::string node = "quota-node-0";
  CommandOutput list = RunCommand({std::string(LLM_SOURCE_DIR) + "/tests/cluster/nodes.sh", "gpu", "1", "quota-node-"});
  REQUIRE(list.exit_code == 0);
  const TestCluster& cluster = TestCluster::Get();
  REQUIRE(cluster.Kubectl("admin", {"apply", "--server-side", "-f", "-"}, list.out).exit_code == 0);
  REQUIRE(cluster.Kubectl("admin", {"wait", "--for=condition=Ready", "--timeout=60s", "node/" + node}).exit_code == 0);
  REQUIRE(
      cluster.Kubectl("admin", {"label", "--overwrite", "node", node, "kubectl-llm.dev/gpu-check=pass"}).exit_code ==
      0);
  const std::string ns = "validate-quota";
  cluster.CreateNamespace(ns);
  REQUIRE(cluster.Kubectl("admin", {"create", "quota", "no-pods", "-n", ns, "--hard=pods=0"}).exit_code == 0);

  CommandOutput run =
      cluster.Plugin("admin", {"validate-nodes", node, "-n", ns, "--record", "--timeout", "30s", "-o", "json"});
  INFO(run.err);
  CHECK(run.exit_code == 1);
  json report = json::parse(run.out);
  REQUIRE(report["status"]["nodes"].size() == 1);
  CHECK(report["status"]["nodes"][0]["verdict"] == "error");
  CHECK(report["status"]["nodes"][0]["reason"].get<std::string>().starts_with("could not create pod: "));
  json after = KubectlJson({"get", "node", node, "-o", "json"});
  CHECK(after["metadata"]["labels"].value("kubectl-llm.dev/gpu-check", "") == "pass");
  CHECK_FALSE(after["metadata"]["labels"].contains("kubectl-llm.dev/gpu-check-time"));
  cluster.Kubectl("admin", {"delete", "namespace", ns, "--wait=false"});
  cluster.Kubectl("admin", {"delete", "node", node, "--wait=false"});
}

TEST_CASE("validate-nodes: exit 3 when the API refuses, 2 on bad flags") {
  CommandOutput missing = TestCluster::Get().Plugin("admin", {"validate-nodes", "no-such-node"});
  CHECK(missing.exit_code == 3);
  CHECK(missing.err.find("nodes \"no-such-node\" not found") != std::string::npos);
  CommandOutput forbidden = TestCluster::Get().Plugin("dev", {"validate-nodes"});
  CHECK(forbidden.exit_code == 3);
  CHECK(forbidden.err.find("Forbidden") != std::string::npos);
  CommandOutput usage = TestCluster::Get().Plugin("admin", {"validate-nodes", "--max-parallel", "0"});
  CHECK(usage.exit_code == 2);
}

}  // namespace
}  // namespace llm::testing

// validate-nodes --multi-node and Ctrl-C against the real control plane.
//
// The multi-node pods belong to Indexed Jobs, and kwok completes a Job's pods
// (exit 0, no result) the moment they run. So the multi-node test uses nodes
// kwok does not manage: nodes.sh's nodes without kwok's annotation, whose
// kubelet FakeGpuKubelet plays whole (Lease heartbeats, pods ended with the
// summary gpu_check's own writer produces). The real scheduler places the
// Jobs' pods (node affinity and anti-affinity), the real Job controller makes
// and finishes them, the real garbage collector removes them.
#include <signal.h>

#include <atomic>
#include <chrono>
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
#include "util/rfc3339.h"
#include "util/yaml_document.h"

namespace llm::testing {
namespace {

using nlohmann::json;

json KubectlJson(const std::vector<std::string>& args) {
  CommandOutput r = TestCluster::Get().Kubectl("admin", args);
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  return json::parse(r.out);
}

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

std::vector<std::string> Names(const std::string& prefix, int count) {
  std::vector<std::string> names;
  for (int i = 0; i < count; ++i) names.push_back(prefix + std::to_string(i));
  return names;
}

/// nodes.sh's GPU nodes, created for the test and deleted after it. With
/// `kwok_managed` false they lose kwok's annotation and are created Ready (the
/// fake kubelet then keeps their Lease fresh).
class TestNodes {
 public:
  TestNodes(const std::string& prefix, int count, bool kwok_managed) : names_(Names(prefix, count)) {
    CommandOutput list =
        RunCommand({std::string(LLM_SOURCE_DIR) + "/tests/cluster/nodes.sh", "gpu", std::to_string(count), prefix});
    REQUIRE(list.exit_code == 0);
    std::string manifest = list.out;
    if (!kwok_managed) {
      auto docs = ParseYamlDocuments(list.out, "nodes.sh");
      REQUIRE(docs.ok());
      Json nodes = docs->front();
      const std::string now = FormatRfc3339(std::chrono::system_clock::now());
      for (Json& node : nodes["items"]) {
        node["metadata"]["annotations"].erase("kwok.x-k8s.io/node");
        node["status"]["conditions"] = {{{"type", "Ready"},
                                         {"status", "True"},
                                         {"reason", "KubeletReady"},
                                         {"message", "fake GPU kubelet"},
                                         {"lastHeartbeatTime", now},
                                         {"lastTransitionTime", now}}};
      }
      manifest = nodes.dump();
    }
    // create, not apply: a Node's status is taken as sent only on create (a
    // kubelet registers that way).
    CommandOutput created = TestCluster::Get().Kubectl("admin", {"create", "-f", "-"}, manifest);
    REQUIRE_MESSAGE(created.exit_code == 0, created.err);
    std::vector<std::string> wait = {"wait", "--for=condition=Ready", "--timeout=60s"};
    for (const std::string& n : names_) wait.push_back("node/" + n);
    CommandOutput ready = TestCluster::Get().Kubectl("admin", wait);
    REQUIRE_MESSAGE(ready.exit_code == 0, ready.err);
  }
  ~TestNodes() {
    std::vector<std::string> del = {"delete", "--wait=false"};
    for (const std::string& n : names_) del.push_back("node/" + n);
    TestCluster::Get().Kubectl("admin", del);
  }
  const std::vector<std::string>& names() const { return names_; }
  std::set<std::string> set() const { return {names_.begin(), names_.end()}; }

 private:
  std::vector<std::string> names_;
};

bool HasGpuCheckTaint(const json& node) {
  for (const json& taint : node["spec"].value("taints", json::array())) {
    if (taint.value("key", "") == "kubectl-llm.dev/gpu-check") return true;
  }
  return false;
}

/// Polls `kubectl get KINDS -n ns -o name` until it prints nothing (deleted
/// objects may take a grace period), and checks it did.
void CheckNoneLeft(const std::string& ns, const std::string& kinds) {
  CommandOutput left;
  for (int i = 0; i < 90; ++i) {
    left = TestCluster::Get().Kubectl("admin", {"get", kinds, "-n", ns, "-o", "name"});
    if (left.exit_code == 0 && left.out.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  INFO(kinds, " left in ", ns);
  CHECK(left.out == "");
}

void CheckNamespaceGoing(const std::string& ns) {
  CommandOutput got = TestCluster::Get().Kubectl("admin", {"get", "namespace", ns, "-o", "json"});
  if (got.exit_code == 0) CHECK(json::parse(got.out)["metadata"].contains("deletionTimestamp"));
}

bool Contains(const json& pair, const std::string& node) {
  return pair["nodes"][0] == node || pair["nodes"][1] == node;
}

}  // namespace

TEST_CASE(
    "validate-nodes --multi-node: pairs run as Indexed Jobs, re-pairing pins the bad node, which is labelled "
    "and tainted, and nothing is left") {
  TestNodes nodes("mn-node-", 7, /*kwok_managed=*/false);
  const std::string bad = "mn-node-4";           // fine alone, slow with anyone (a bad NIC)
  const std::string failed_alone = "mn-node-6";  // never paired
  const std::string ns = "val-multi-node";
  FakeGpuKubelet kubelet(
      AdminClient(), ns,
      [&](const std::string& node) {
        if (node == failed_alone) return FakeOutcome::kFail;
        return node == bad ? FakeOutcome::kSlowFabric : FakeOutcome::kPass;
      },
      nodes.set());

  std::vector<std::string> args = {"validate-nodes",
                                   "--multi-node",
                                   "--record",
                                   "--taint-failed",
                                   "--timeout",
                                   "60s",
                                   "--max-parallel",
                                   "4",
                                   "-n",
                                   ns,
                                   "-o",
                                   "json"};
  args.insert(args.end(), nodes.names().begin(), nodes.names().end());
  CommandOutput run = TestCluster::Get().Plugin("admin", args);
  INFO(run.err);
  CHECK(run.exit_code == 1);
  const json report = json::parse(run.out);
  CHECK(report["spec"]["multiNode"] == true);
  CHECK(report["status"]["summary"] ==
        json{{"tested", 7}, {"passed", 5}, {"failed", 2}, {"errors", 0}, {"skipped", 0}});

  // Round 1 pairs in name order; the slow pair's members meet known-good nodes in round 2.
  const json& pairs = report["status"]["pairs"];
  REQUIRE(pairs.size() == 5);
  std::vector<int> rounds;
  for (const json& p : pairs) {
    INFO(p.dump());
    rounds.push_back(p["round"]);
    if (Contains(p, bad)) {
      CHECK(p["verdict"] == "fail");
      CHECK(p["allReduceBusBw"] == kFakeSlowFabricBusBw);
      CHECK(p["reason"].get<std::string>().find("below 0.85 x the median") != std::string::npos);
    } else {
      CHECK(p["verdict"] == "pass");
      CHECK(p["allReduceBusBw"] == kFakeFabricBusBw);
    }
  }
  CHECK(rounds == std::vector<int>{1, 1, 1, 2, 2});
  CHECK(pairs[2]["nodes"] == json::array({"mn-node-4", "mn-node-5"}));
  CHECK(pairs[3]["nodes"] == json::array({"mn-node-4", "mn-node-0"}));
  CHECK(pairs[4]["nodes"] == json::array({"mn-node-5", "mn-node-1"}));

  for (const json& n : report["status"]["nodes"]) {
    const std::string name = n["name"];
    INFO(name);
    if (name == failed_alone) {
      CHECK(n["verdict"] == "fail");
      CHECK(n["multiNode"].is_null());
      CHECK(n["reason"].get<std::string>().find("gpu 3") != std::string::npos);
    } else if (name == bad) {
      CHECK(n["verdict"] == "fail");
      CHECK(n["multiNode"]["result"] == "bad");
      CHECK(n["reason"].get<std::string>().starts_with(
          "multi-node: the all-reduce with known-good node mn-node-0 failed"));
    } else {
      CHECK(n["verdict"] == "pass");
      CHECK(n["multiNode"]["result"] == "good");
      CHECK(n["multiNode"]["allReduceBusBw"] == kFakeFabricBusBw);
    }
  }

  for (const std::string& name : nodes.names()) {
    INFO(name);
    const json node = KubectlJson({"get", "node", name, "-o", "json"});
    const bool fails = name == bad || name == failed_alone;
    CHECK(node["metadata"]["labels"].value("kubectl-llm.dev/gpu-check", "") == (fails ? "fail" : "pass"));
    CHECK(HasGpuCheckTaint(node) == fails);
  }
  CheckNoneLeft(ns, "jobs,pods,services");
  CheckNamespaceGoing(ns);
  kubelet.Stop();
  CHECK(kubelet.error() == "");
}

TEST_CASE("validate-nodes --multi-node --dry-run=server: the API server accepts each pair's Service and Job") {
  TestNodes nodes("mn-dry-node-", 2, /*kwok_managed=*/true);
  TestCluster::Get().CreateNamespace("val-multi-node-dry");
  CommandOutput run = TestCluster::Get().Plugin("admin", {"validate-nodes", "--multi-node", "--dry-run=server", "-n",
                                                          "val-multi-node-dry", "mn-dry-node-0", "mn-dry-node-1"});
  INFO(run.err);
  CHECK(run.exit_code == 0);
  CHECK(run.out.find("-pair-1 created (server dry run)") != std::string::npos);  // the Service
  CHECK(run.out.find("-pair-1 created on nodes mn-dry-node-0, mn-dry-node-1 (server dry run)") != std::string::npos);
  CHECK(TestCluster::Get()
            .Kubectl("admin", {"get", "jobs,services,pods", "-n", "val-multi-node-dry", "-o", "name"})
            .out == "");
  TestCluster::Get().Kubectl("admin", {"delete", "namespace", "val-multi-node-dry", "--wait=false"});
}

TEST_CASE(
    "validate-nodes: SIGINT after the pods are created stops the run, deletes its pods, records nothing and "
    "exits 130") {
  TestNodes nodes("int-node-", 3, /*kwok_managed=*/true);  // kwok runs the pods; nothing ever ends them
  const std::string ns = "val-interrupt";
  std::atomic<int> pid{0};
  CommandOutput run;
  std::vector<std::string> args = {
      "validate-nodes", "--record", "--taint-failed", "--timeout", "5m", "-n", ns, "-o", "json"};
  args.insert(args.end(), nodes.names().begin(), nodes.names().end());
  std::thread command([&] { run = TestCluster::Get().Plugin("admin", args, "", [&](int p) { pid = p; }); });

  bool running = false;
  for (int i = 0; i < 120 && !running; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    CommandOutput pods = TestCluster::Get().Kubectl(
        "admin", {"get", "pods", "-n", ns, "-o", "jsonpath={range .items[*]}{.status.phase}{\"\\n\"}{end}"});
    running = pods.out == "Running\nRunning\nRunning\n";
  }
  CHECK(running);
  REQUIRE(pid != 0);
  ::kill(pid, SIGINT);
  command.join();
  INFO(run.err);
  CHECK(run.exit_code == 130);
  CHECK(run.err.find("interrupted by SIGINT: deleting this run's pods, jobs and services") != std::string::npos);
  const json report = json::parse(run.out);
  CHECK(report["status"]["summary"]["errors"] == 3);
  for (const json& n : report["status"]["nodes"]) CHECK(n["reason"] == "interrupted by SIGINT");
  CheckNoneLeft(ns, "pods");
  CheckNamespaceGoing(ns);
  // An interrupted node keeps whatever it had: no label was written.
  for (const std::string& name : nodes.names()) {
    const json node = KubectlJson({"get", "node", name, "-o", "json"});
    CHECK_FALSE(node["metadata"]["labels"].contains("kubectl-llm.dev/gpu-check"));
  }
}

TEST_CASE(
    "validate-nodes --multi-node: SIGTERM while the pairs run deletes their Jobs, Services and pods, records "
    "no verdict and exits 143") {
  TestNodes nodes("mn-term-node-", 2, /*kwok_managed=*/false);
  const std::string ns = "val-multi-node-term";
  FakeGpuKubelet kubelet(
      AdminClient(), ns, [](const std::string&) { return FakeOutcome::kHangsPaired; }, nodes.set());
  std::atomic<int> pid{0};
  CommandOutput run;
  std::vector<std::string> args = {"validate-nodes", "--multi-node", "--record", "--timeout", "5m", "-n", ns};
  args.insert(args.end(), nodes.names().begin(), nodes.names().end());
  std::thread command([&] { run = TestCluster::Get().Plugin("admin", args, "", [&](int p) { pid = p; }); });

  bool paired = false;  // both pods of the pair's Job are on their nodes
  for (int i = 0; i < 120 && !paired; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    CommandOutput pods =
        TestCluster::Get().Kubectl("admin", {"get", "pods", "-n", ns, "-l", "batch.kubernetes.io/job-name", "-o",
                                             "jsonpath={range .items[*]}{.spec.nodeName}{\"\\n\"}{end}"});
    paired = pods.out == "mn-term-node-0\nmn-term-node-1\n" || pods.out == "mn-term-node-1\nmn-term-node-0\n";
  }
  CHECK(paired);
  REQUIRE(pid != 0);
  ::kill(pid, SIGTERM);
  command.join();
  INFO(run.err);
  CHECK(run.exit_code == 143);
  CHECK(run.out.find("interrupted by SIGTERM") != std::string::npos);  // the pair's reason in the table
  CheckNoneLeft(ns, "jobs,services,pods");
  CheckNamespaceGoing(ns);
  // Both passed alone, but the multi-node verdict was cut short: nothing recorded.
  for (const std::string& name : nodes.names()) {
    const json node = KubectlJson({"get", "node", name, "-o", "json"});
    CHECK_FALSE(node["metadata"]["labels"].contains("kubectl-llm.dev/gpu-check"));
  }
  kubelet.Stop();
  CHECK(kubelet.error() == "");
}

}  // namespace llm::testing

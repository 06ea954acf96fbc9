// Elastic training (train --nodes MIN:MAX, scale --nodes, status) against the
// real controllers: the API server's Indexed Job validation (completions and
// parallelism change together), the Job controller (it adds the new indexes
// and removes the highest ones), the scheduler (it places them, or says why
// not) and kwok's kubelets. Four fake 8-GPU nodes of the test's own pool
// (labelled, and tainted so no other test's pods land there) are the room the
// job has; a pod of the test holds one node's GPUs until the node "frees".
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "integration/kube_client.h"
#include "integration/run_command.h"
#include "integration/test_cluster.h"

namespace llm::testing {
namespace {

using nlohmann::json;

constexpr const char* kPool = "kubectl-llm.dev/test-pool=elastic";
constexpr const char* kPoolTaint = "kubectl-llm.dev/test-pool=elastic:NoSchedule";
constexpr int kNodes = 4;

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

CommandOutput Admin(const std::vector<std::string>& args, const std::string& input = "") {
  return TestCluster::Get().Kubectl("admin", args, input);
}

CommandOutput Llm(const std::vector<std::string>& args) { return TestCluster::Get().Plugin("admin", args); }

std::string Node(int i) { return "el-node-" + std::to_string(i); }

/// The pool's nodes, removed again at the end.
class PoolNodes {
 public:
  PoolNodes() {
    CommandOutput list = RunCommand(
        {std::string(LLM_SOURCE_DIR) + "/tests/cluster/nodes.sh", "gpu", std::to_string(kNodes), "el-node-"});
    REQUIRE(list.exit_code == 0);
    CommandOutput applied = Admin({"apply", "--server-side", "-f", "-"}, list.out);
    REQUIRE_MESSAGE(applied.exit_code == 0, applied.err);
    std::vector<std::string> names;
    for (int i = 0; i < kNodes; ++i) names.push_back("node/" + Node(i));
    std::vector<std::string> label = {"label", "--overwrite"};
    label.insert(label.end(), names.begin(), names.end());
    label.push_back(kPool);
    REQUIRE(Admin(label).exit_code == 0);
    std::vector<std::string> taint = {"taint", "nodes", "--overwrite"};
    for (int i = 0; i < kNodes; ++i) taint.push_back(Node(i));
    taint.push_back(kPoolTaint);
    REQUIRE(Admin(taint).exit_code == 0);
    std::vector<std::string> ready = {"wait", "--for=condition=Ready", "--timeout=60s"};
    ready.insert(ready.end(), names.begin(), names.end());
    CommandOutput waited = Admin(ready);
    REQUIRE_MESSAGE(waited.exit_code == 0, waited.err);
  }
  ~PoolNodes() {
    std::vector<std::string> args = {"delete", "--wait=false"};
    for (int i = 0; i < kNodes; ++i) args.push_back("node/" + Node(i));
    Admin(args);
  }
};

/// A ReadWriteMany volume for the checkpoints, bound before the job starts
/// (the scheduler places no pod whose claim is unbound).
class CheckpointVolume {
 public:
  explicit CheckpointVolume(const std::string& ns) : pv_("elastic-ckpt-" + ns) {
    const json pv = {{"apiVersion", "v1"},
                     {"kind", "PersistentVolume"},
                     {"metadata", {{"name", pv_}}},
                     {"spec",
                      {{"capacity", {{"storage", "1Gi"}}},
                       {"accessModes", {"ReadWriteMany"}},
                       {"storageClassName", ""},
                       {"persistentVolumeReclaimPolicy", "Delete"},
                       {"hostPath", {{"path", "/tmp/" + pv_}}},
                       {"claimRef", {{"namespace", ns}, {"name", "ckpt"}}}}}};
    const json pvc = {{"apiVersion", "v1"},
                      {"kind", "PersistentVolumeClaim"},
                      {"metadata", {{"name", "ckpt"}, {"namespace", ns}}},
                      {"spec",
                       {{"accessModes", {"ReadWriteMany"}},
                        {"storageClassName", ""},
                        {"volumeName", pv_},
                        {"resources", {{"requests", {{"storage", "1Gi"}}}}}}}};
    CommandOutput created = Admin({"apply", "--server-side", "-f", "-"}, pv.dump() + "\n" + pvc.dump());
    REQUIRE_MESSAGE(created.exit_code == 0, created.err);
    CommandOutput bound =
        Admin({"-n", ns, "wait", "--for=jsonpath={.status.phase}=Bound", "--timeout=60s", "pvc/ckpt"});
    REQUIRE_MESSAGE(bound.exit_code == 0, bound.err);
  }
  ~CheckpointVolume() { Admin({"delete", "pv", pv_, "--wait=false"}); }

 private:
  std::string pv_;
};

/// A pod that holds all 8 GPUs of `node` (placed there directly) until deleted.
void HoldNode(const std::string& ns, const std::string& name, const std::string& node) {
  const json pod = {
      {"apiVersion", "v1"},
      {"kind", "Pod"},
      {"metadata", {{"name", name}, {"namespace", ns}}},
      {"spec",
       {{"nodeName", node},
        {"tolerations", json::array({{{"operator", "Exists"}}})},
        {"containers",
         json::array(
             {{{"name", "hold"},
               {"image", "busybox"},
               {"resources", {{"limits", {{"nvidia.com/gpu", 8}}}, {"requests", {{"nvidia.com/gpu", 8}}}}}}})}}}};
  CommandOutput created = Admin({"apply", "--server-side", "-f", "-"}, pod.dump());
  REQUIRE_MESSAGE(created.exit_code == 0, created.err);
  CommandOutput running =
      Admin({"-n", ns, "wait", "--for=jsonpath={.status.phase}=Running", "--timeout=60s", "pod/" + name});
  REQUIRE_MESSAGE(running.exit_code == 0, running.err);
}

void FreeNode(const std::string& ns, const std::string& name) {
  CommandOutput deleted = Admin({"-n", ns, "delete", "pod", name, "--grace-period=0", "--force", "--wait=true"});
  REQUIRE_MESSAGE(deleted.exit_code == 0, deleted.err);
}

json TrainPods(const std::string& ns) {
  CommandOutput out = Admin({"-n", ns, "get", "pods", "-l", "app.kubernetes.io/instance=t", "-o", "json"});
  REQUIRE_MESSAGE(out.exit_code == 0, out.err);
  return json::parse(out.out)["items"];
}

/// Pod index -> uid, of the pods not being deleted.
std::map<int, std::string> PodsByIndex(const std::string& ns) {
  std::map<int, std::string> pods;
  for (const json& pod : TrainPods(ns)) {
    if (pod["metadata"].contains("deletionTimestamp")) continue;
    const std::string index = pod["metadata"]["annotations"].value("batch.kubernetes.io/job-completion-index", "");
    pods[std::stoi(index)] = pod["metadata"].value("uid", "");
  }
  return pods;
}

std::string JobField(const std::string& ns, const std::string& path) {
  return Admin({"-n", ns, "get", "job", "t", "-o", "jsonpath={" + path + "}"}).out;
}

/// The log every container "prints" (kwok reads container-logs/current.log),
/// restored when the test ends.
class ContainerLog {
 public:
  ContainerLog() : path_(TestCluster::Get().dir() + "/container-logs/current.log") {
    std::ifstream in(path_);
    saved_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  ~ContainerLog() { std::ofstream(path_, std::ios::trunc) << saved_; }
  /// The lines, stamped `ahead` from now (in the future, so a read "since the
  /// scale began" includes them however long the command takes to get there).
  void Write(const std::vector<std::string>& lines, std::chrono::seconds ahead) {
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + ahead);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S.000000000Z", &tm);
    std::ofstream out(path_, std::ios::trunc);
    for (const std::string& line : lines) out << stamp << " stdout F " << line << "\n";
  }

 private:
  std::string path_;
  std::string saved_;
};

std::vector<std::string> RoundLog(int world, int restart) {
  return {"[default] Rendezvous complete for workers. Result:",
          "  restart_count=" + std::to_string(restart),
          "  master_addr=t-0.t",
          "  master_port=29500",
          "  group_rank=0",
          "  group_world_size=" + std::to_string(world),
          "  local_ranks=[0, 1, 2, 3, 4, 5, 6, 7]"};
}

TEST_CASE("elastic training: starts at what fits, scales up when a node frees and down again, index 0 stays") {
  PoolNodes nodes;
  ScopedNamespace ns("elastic");
  CheckpointVolume checkpoints(ns.name());
  ContainerLog container_log;
  const std::string patch = TestCluster::Get().dir() + "/elastic-keep-running.json";
  std::ofstream(patch)
      << R"({"spec":{"template":{"metadata":{"annotations":{"stage.kubectl-llm.test/play":"keep-running"}}}}})";

  // One of the four nodes is busy: 2:4 starts at the 3 that fit.
  HoldNode(ns.name(), "hold-3", Node(3));
  CommandOutput trained = Llm({"train",
                               "t",
                               "-n",
                               ns.name(),
                               "--image",
                               "img:1",
                               "--nodes",
                               "2:4",
                               "--gpus-per-node",
                               "8",
                               "--checkpoint",
                               "ckpt:/ckpt",
                               "--node-selector",
                               kPool,
                               "--toleration",
                               kPoolTaint,
                               "--patch",
                               "job/t=" + patch,
                               "--wait",
                               "--timeout",
                               "2m",
                               "--",
                               "torchrun",
                               "train.py"});
  REQUIRE_MESSAGE(trained.exit_code == 0, trained.err);
  CHECK_MESSAGE(Contains(trained.err, "Note: starting t at 3 of --nodes 2:4: the free GPUs hold 3 of its pods now"),
                trained.err);
  CHECK(JobField(ns.name(), ".spec.parallelism") == "3");
  CHECK(JobField(ns.name(), ".spec.completions") == "3");
  CHECK(JobField(ns.name(), ".metadata.annotations.kubectl-llm\\.dev/elastic-nodes") == "2:4");
  std::map<int, std::string> pods = PodsByIndex(ns.name());
  REQUIRE(pods.size() == 3);
  const std::string index0 = pods.at(0);

  // status: nodes now, the bounds, restarts.
  CommandOutput status = Llm({"status", "t", "-n", ns.name()});
  REQUIRE_MESSAGE(status.exit_code == 0, status.err);
  CHECK(Contains(status.out, "NODES"));
  CHECK(Contains(status.out, "RESTARTS"));
  CHECK_MESSAGE(Contains(status.out, "3 (2-4)"), status.out);
  CommandOutput status_json = Llm({"status", "t", "-n", ns.name(), "-o", "json"});
  REQUIRE(status_json.exit_code == 0);
  CHECK(json::parse(status_json.out)["items"][0]["elastic"] ==
        json::parse(R"({"nodes":3,"minNodes":2,"maxNodes":4,"restarts":0})"));

  // Bounds are refused, naming the flag and what it takes; nothing changes.
  for (const char* outside : {"5", "1"}) {
    CommandOutput refused = Llm({"scale", "t", "-n", ns.name(), "--nodes", outside});
    CHECK(refused.exit_code == 2);
    CHECK_MESSAGE(Contains(refused.err, std::string("--nodes ") + outside +
                                            ": job.batch/t runs from 2 to 4 nodes (trained with --nodes 2:4)"),
                  refused.err);
  }
  CHECK(JobField(ns.name(), ".spec.parallelism") == "3");

  // The node frees: scale to 4, following the new pod and the rendezvous round index 0 logs.
  FreeNode(ns.name(), "hold-3");
  container_log.Write(RoundLog(4, 1), std::chrono::seconds(30));
  CommandOutput up = Llm({"scale", "t", "-n", ns.name(), "--nodes", "4", "--wait", "--timeout", "2m"});
  REQUIRE_MESSAGE(up.exit_code == 0, up.err);
  CHECK(Contains(up.out, "job.batch/t scaled to 4 nodes (--nodes 2:4)\n"));
  CHECK_MESSAGE(Contains(up.out, "rendezvous round: 4 nodes (restart 1 of at most 3)\n"), up.out);
  CHECK(Contains(up.out, "job.batch/t: 4 nodes running (--nodes 2:4)\n"));
  CHECK(JobField(ns.name(), ".spec.parallelism") == "4");
  CHECK(JobField(ns.name(), ".spec.completions") == "4");
  pods = PodsByIndex(ns.name());
  CHECK(pods.size() == 4);
  CHECK(pods.at(0) == index0);

  // Down to 2: the highest indexes go, index 0 stays.
  container_log.Write(RoundLog(2, 2), std::chrono::seconds(30));
  CommandOutput down = Llm({"scale", "t", "-n", ns.name(), "--nodes", "2", "--wait", "--timeout", "2m"});
  REQUIRE_MESSAGE(down.exit_code == 0, down.err);
  CHECK(Contains(down.out, "job.batch/t scaled to 2 nodes (--nodes 2:4)\n"));
  CHECK(Contains(down.out, "job.batch/t: 2 nodes running (--nodes 2:4)\n"));
  pods = PodsByIndex(ns.name());
  CHECK(pods.size() == 2);
  CHECK(pods.count(0) == 1);
  CHECK(pods.count(1) == 1);
  CHECK(pods.at(0) == index0);

  // New pods that cannot be placed: the two free nodes are held, scale to 4
  // ends at once with the scheduler's word, and the job goes on with 2.
  std::set<std::string> used;
  for (const json& pod : TrainPods(ns.name())) used.insert(pod["spec"].value("nodeName", ""));
  int held = 0;
  for (int i = 0; i < kNodes; ++i) {
    if (used.count(Node(i)) != 0) continue;
    HoldNode(ns.name(), "hold-" + std::to_string(i), Node(i));
    ++held;
  }
  REQUIRE(held == 2);
  const auto started = std::chrono::steady_clock::now();
  CommandOutput stuck = Llm({"scale", "t", "-n", ns.name(), "--nodes", "4", "--wait", "--timeout", "5m"});
  CHECK(stuck.exit_code == 4);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::minutes(2));
  CHECK_MESSAGE(Contains(stuck.err, "error: job.batch/t cannot reach 4 nodes: pod t-"), stuck.err);
  CHECK(Contains(stuck.err, " cannot be scheduled: 0/"));
  CHECK(Contains(stuck.err, "it goes on with the 2 running"));
  CHECK(std::count(stuck.err.begin(), stuck.err.end(), '\n') == 1);
  CHECK(PodsByIndex(ns.name()).at(0) == index0);

  // A job of fixed size is refused.
  CommandOutput fixed = Llm({"train", "fixed", "-n", ns.name(), "--image", "img:1", "--backend", "indexed-job",
                             "--node-selector", kPool, "--toleration", kPoolTaint, "--skip-preflight", "--", "x"});
  REQUIRE_MESSAGE(fixed.exit_code == 0, fixed.err);
  CommandOutput not_elastic = Llm({"scale", "fixed", "-n", ns.name(), "--nodes", "2"});
  CHECK(not_elastic.exit_code == 1);
  CHECK_MESSAGE(Contains(not_elastic.err, "--nodes: job.batch/fixed is not elastic"), not_elastic.err);

  CHECK(Llm({"delete", "t", "-n", ns.name()}).exit_code == 0);
  std::remove(patch.c_str());
}

}  // namespace
}  // namespace llm::testing

#include "faults/fault_commands.h"

#include <chrono>
#include <ctime>
#include <fstream>
#include <map>
#include <thread>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "faults/fault_output.h"
#include "faults/kubectl_json.h"
#include "integration/test_cluster.h"

namespace llm::testing {
namespace {

using nlohmann::json;

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// Kinds the tool renders (pods and ReplicaSets belong to their controllers).
constexpr const char* kKinds =
    "deployments.apps,services,jobs.batch,horizontalpodautoscalers.autoscaling,poddisruptionbudgets.policy,"
    "leaderworkersets.leaderworkerset.x-k8s.io,jobsets.jobset.x-k8s.io,persistentvolumeclaims";

/// "" when the instance's objects are exactly `expected` ("Kind/name") and all
/// belong to its ApplySet (the parent Secret named like the instance), else what is wrong.
std::string CheckInstance(const std::string& ns, const std::string& instance, const std::set<std::string>& expected) {
  json items = KubectlJson({"-n", ns, "get", kKinds, "-l", "app.kubernetes.io/instance=" + instance, "-o", "json"});
  std::set<std::string> found;
  std::vector<std::string> problems;
  CommandOutput parent = TestCluster::Get().Kubectl("admin", {"-n", ns, "get", "secret", instance, "-o", "json"});
  std::string id;
  if (parent.exit_code == 0) {
    id = json::parse(parent.out)["metadata"]["labels"].value("applyset.kubernetes.io/id", "");
  }
  for (const json& item : items["items"]) {
    const std::string key = item["kind"].get<std::string>() + "/" + item["metadata"]["name"].get<std::string>();
    if (!found.insert(key).second) problems.push_back("duplicate " + key);
    const std::string part_of = item["metadata"]["labels"].value("applyset.kubernetes.io/part-of", "");
    if (id.empty() || part_of != id) problems.push_back("orphan " + key + " (not in the ApplySet of " + instance + ")");
  }
  for (const std::string& want : expected) {
    if (!found.contains(want)) problems.push_back("lost " + want);
  }
  for (const std::string& have : found) {
    if (!expected.contains(have)) problems.push_back("unexpected " + have);
  }
  if (expected.empty() && parent.exit_code == 0) problems.push_back("ApplySet parent Secret/" + instance + " left");
  if (!expected.empty() && id.empty()) problems.push_back("no ApplySet parent Secret/" + instance);
  std::string out;
  for (const std::string& p : problems) out += (out.empty() ? "" : "; ") + p;
  return out;
}

std::string CheckBase(const std::string& ns) { return CheckInstance(ns, "base", {"Deployment/base", "Service/base"}); }

/// A --patch file in the cluster's directory.
std::string PatchFile(const std::string& name, const std::string& text) {
  const std::string path = TestCluster::Get().dir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

/// serve's --patch for workload "s": its pods wait at a scheduling gate until
/// the test opens it (OpenGates), and its Deployment holds a finalizer until
/// the test lifts it (ReleaseHold), so serve --wait and delete --wait are
/// still watching when a fault strikes during the wait, and end only after.
std::string HeldDeploymentPatch() {
  return PatchFile("fault-held-deployment.yaml",
                   "metadata:\n  finalizers: [kubectl-llm.test/hold]\n"
                   "spec:\n  template:\n    spec:\n      schedulingGates: [{name: kubectl-llm.test/hold}]\n");
}

/// train's --patch for job "t": its pods wait at the same gate, then run and complete.
std::string HeldJobPatch() {
  return PatchFile("fault-held-job.yaml",
                   "spec:\n  template:\n    spec:\n      schedulingGates: [{name: kubectl-llm.test/hold}]\n");
}

/// Lets the pods of `controller` ("deployment/s") be scheduled: their
/// scheduling gates removed, once it has made `pods` of them (a rerun's
/// release comes as soon as the apply is answered, before the pods exist).
void OpenGates(const std::string& ns, const std::string& controller, size_t pods) {
  const TestCluster& cluster = TestCluster::Get();
  if (cluster.Kubectl("admin", {"-n", ns, "get", controller}).exit_code != 0) return;  // never applied: no pods
  const std::string instance = controller.substr(controller.find('/') + 1);
  json list;
  for (int i = 0; i < 120; ++i) {
    list = KubectlJson({"-n", ns, "get", "pods", "-l", "app.kubernetes.io/instance=" + instance, "-o", "json"});
    if (list["items"].size() >= pods) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  for (const json& pod : list["items"]) {
    if (pod["spec"].value("schedulingGates", json::array()).empty()) continue;
    cluster.Kubectl("admin", {"-n", ns, "patch", "pod", pod["metadata"]["name"].get<std::string>(), "--type=json", "-p",
                              R"([{"op":"remove","path":"/spec/schedulingGates"}])"});
  }
}

void ReleaseHold(const std::string& ns) {
  TestCluster::Get().Kubectl("admin", {"-n", ns, "patch", "deployment", "s", "--type=json", "-p",
                                       R"([{"op":"remove","path":"/metadata/finalizers"}])"});
}

/// Appends a line to the log every kwok container "prints" (tests/cluster/up.sh).
void AppendContainerLog(const std::string& text) {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
  std::ofstream(TestCluster::Get().dir() + "/container-logs/current.log", std::ios::app)
      << stamp << ".000000000Z stdout F " << text << "\n";
}

std::function<bool(const CommandOutput&)> After(std::string method, std::string path_part) {
  return [method, path_part](const CommandOutput& so_far) { return SentRequest(so_far.err, method, path_part); };
}

/// validate-nodes' -o json report: the nodes it did not pass, with their reasons.
std::string ValidationFailure(const CommandOutput& r) {
  if (r.exit_code != 1) return ClearError(r.err);
  json report = json::parse(r.out, nullptr, false);
  if (report.is_discarded() || report.value("kind", "") != "NodeValidationReport") return "";
  std::string out;
  for (const json& node : report["status"]["nodes"]) {
    if (node.value("verdict", "") == "pass") continue;
    out += (out.empty() ? "" : "; ") + node.value("name", "") + " " + node.value("verdict", "") + ": " +
           node.value("reason", "");
  }
  return out.empty() ? "" : "report: " + out;
}

}  // namespace

std::vector<CommandCase> Commands() {
  std::vector<CommandCase> commands;
  commands.push_back({
      .name = "serve --wait",
      .args =
          [](const FaultScene& s) {
            return std::vector<std::string>{"serve",   "s",         "-n",      s.ns,
                                            "--model", "org/m",     "--gpus",  "1",
                                            "--cpu",   "1",         "--patch", "deployment/s=" + HeldDeploymentPatch(),
                                            "--wait",  "--timeout", "60s"};
          },
      .failure_codes = {1, 4, 5},
      .began_waiting = After("PATCH", "/deployments/s?"),
      .began_writing = After("PATCH", "/"),
      .release = [](FaultScene& s) { OpenGates(s.ns, "deployment/s", 1); },
      .check =
          [](FaultScene& s) {
            return CheckInstance(s.ns, "s", {"Deployment/s", "Service/s"});
          },
  });
  commands.push_back({
      .name = "train --wait",
      .args =
          [](const FaultScene& s) {
            return std::vector<std::string>{"train",
                                            "t",
                                            "-n",
                                            s.ns,
                                            "--backend",
                                            "indexed-job",
                                            "--image",
                                            "reg/img:1",
                                            "--nodes",
                                            "2",
                                            "--gpus-per-node",
                                            "1",
                                            "--patch",
                                            "job/t=" + HeldJobPatch(),
                                            "--wait",
                                            "--timeout",
                                            "60s",
                                            "--",
                                            "python",
                                            "train.py"};
          },
      .failure_codes = {1, 4, 5},
      .began_waiting = After("PATCH", "/jobs/t?"),
      .began_writing = After("PATCH", "/"),
      .release = [](FaultScene& s) { OpenGates(s.ns, "job/t", 2); },
      .check =
          [](FaultScene& s) {
            return CheckInstance(s.ns, "t", {"Job/t", "Service/t"});
          },
  });
  commands.push_back({
      .name = "status",
      .args =
          [](const FaultScene& s) {
            return std::vector<std::string>{"status", "-n", s.ns};
          },
      .failure_codes = {1},
      .check = [](FaultScene& s) { return CheckBase(s.ns); },
  });
  commands.push_back({
      .name = "scale",
      .args =
          [](const FaultScene& s) { return std::vector<std::string>{"scale", "base", "-n", s.ns, "--replicas", "2"}; },
      .failure_codes = {1},
      .began_writing = After("PATCH", "/"),
      .check =
          [](FaultScene& s) {
            std::string wrong = CheckBase(s.ns);
            json d = KubectlJson({"-n", s.ns, "get", "deployment", "base", "-o", "json"});
            if (d["spec"]["replicas"] != 2) wrong += " replicas " + d["spec"]["replicas"].dump() + " not 2";
            return wrong;
          },
  });
  commands.push_back({
      .name = "logs -f",
      .args =
          [](const FaultScene& s) { return std::vector<std::string>{"logs", "base", "-n", s.ns, "-f", "--tail", "1"}; },
      .failure_codes = {1},
      // The first line shows the stream is open.
      .began_waiting = [](const CommandOutput& so_far) { return !so_far.out.empty(); },
      .release =
          [](FaultScene& s) {
            s.last_marker = "fault suite marker " + std::to_string(++s.markers) + " in " + s.ns;
            AppendContainerLog(s.last_marker);
          },
      .followed =
          [](const CommandOutput& so_far, const FaultScene& s) {
            return !s.last_marker.empty() && Contains(so_far.out, s.last_marker + "\n");
          },
      .check = [](FaultScene& s) { return CheckBase(s.ns); },
  });
  commands.push_back({
      .name = "validate-nodes --record",
      .args =
          [](const FaultScene& s) {
            std::vector<std::string> args = {"validate-nodes", "-n", s.ns, "--record", "--timeout", "60s",
                                             "--max-parallel", "2",  "-o", "json"};
            for (const std::string& node : s.gpu_nodes->names()) args.push_back(node);
            return args;
          },
      .failure_codes = {1, 3},
      .began_waiting = After("POST", "/pods"),
      .began_writing = After("POST", "/pods"),
      .release = [](FaultScene& s) { s.gpu_nodes->Open(); },
      .clear_failure = ValidationFailure,
      .before = [](FaultScene& s) { s.gpu_nodes->Reset(); },
      .check_first = [](const CommandOutput& r, FaultScene& s) { return s.gpu_nodes->CheckVerdicts(r.exit_code == 0); },
      .check =
          [](FaultScene& s) {
            std::string wrong = s.gpu_nodes->CheckVerdicts(true);
            if (std::string left = s.gpu_nodes->CheckNoPodsLeft(); !left.empty()) {
              wrong += (wrong.empty() ? "" : "; ") + left;
            }
            if (std::string base = CheckBase(s.ns); !base.empty()) wrong += (wrong.empty() ? "" : "; ") + base;
            return wrong;
          },
  });
  commands.push_back({
      .name = "delete --wait",
      .args =
          [](const FaultScene& s) {
            return std::vector<std::string>{"delete", "s", "-n", s.ns, "--wait", "--timeout", "60s"};
          },
      .failure_codes = {1, 5},
      .began_waiting = After("DELETE", "/deployments/s"),
      .began_writing = After("DELETE", "/"),
      .release = [](FaultScene& s) { ReleaseHold(s.ns); },
      .converged =
          [](const CommandOutput& r) {
            return r.exit_code == 0 || (r.exit_code == 1 && Contains(r.err, "error: no workload \"s\""));
          },
      .check = [](FaultScene& s) { return CheckInstance(s.ns, "s", {}); },
  });
  return commands;
}

}  // namespace llm::testing

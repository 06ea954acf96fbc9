// status, list, nodes, doctor and scale against the real control plane. The
// workloads are applied with the cluster's kubectl as serve would label them
// (app.kubernetes.io/managed-by=kubectl-llm, instance=NAME), so these tests
// depend only on the commands under test.
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "integration/test_cluster.h"

namespace llm::testing {
namespace {
using nlohmann::json;

class ScopedNamespace {
 public:
  explicit ScopedNamespace(std::string name) : name_(std::move(name)) {
    TestCluster::Get().Kubectl("admin", {"delete", "namespace", name_, "--ignore-not-found", "--wait=true"});
    TestCluster::Get().CreateNamespace(name_);
  }
  ~ScopedNamespace() { TestCluster::Get().Kubectl("admin", {"delete", "namespace", name_, "--wait=false"}); }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
};

std::string ServeManifest(const std::string& name, int replicas, int gpus) {
  const std::string r = std::to_string(replicas), g = std::to_string(gpus);
  return R"(
apiVersion: apps/v1
kind: Deployment
metadata:
  name: )" +
         name + R"(
  labels: &labels
    app.kubernetes.io/name: vllm
    app.kubernetes.io/instance: )" +
         name + R"(
    app.kubernetes.io/component: serve
    app.kubernetes.io/managed-by: kubectl-llm
  annotations: {kubectl-llm.dev/model: Qwen/Qwen2.5-0.5B-Instruct}
spec:
  replicas: )" +
         r + R"(
  selector: {matchLabels: {app.kubernetes.io/instance: )" +
         name + R"(}}
  template:
    metadata: {labels: *labels}
    spec:
      tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
      containers:
      - name: vllm
        image: vllm/vllm-openai:v0.11.0
        ports: [{name: http, containerPort: 8000}]
        resources: {limits: {nvidia.com/gpu: ")" +
         g + R"("}}
---
apiVersion: v1
kind: Service
metadata:
  name: )" +
         name + R"(
  labels:
    app.kubernetes.io/name: vllm
    app.kubernetes.io/instance: )" +
         name + R"(
    app.kubernetes.io/component: serve
    app.kubernetes.io/managed-by: kubectl-llm
spec:
  selector: {app.kubernetes.io/instance: )" +
         name + R"(}
  ports: [{name: http, port: 8000, targetPort: http}]
)";
}

const char* kTrainJob = R"(
apiVersion: batch/v1
kind: Job
metadata:
  name: pretrain
  labels: &labels
    app.kubernetes.io/name: torchrun
    app.kubernetes.io/instance: pretrain
    app.kubernetes.io/component: train
    app.kubernetes.io/managed-by: kubectl-llm
spec:
  completionMode: Indexed
  completions: 2
  parallelism: 2
  suspend: true
  template:
    metadata: {labels: *labels}
    spec:
      restartPolicy: Never
      containers: [{name: trainer, image: pytorch/pytorch:2.5.0}]
)";

void Apply(const std::string& ns, const std::string& manifest) {
  CommandOutput r = TestCluster::Get().Kubectl("admin", {"apply", "-n", ns, "-f", "-"}, manifest);
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
}

/// Polls until `done` accepts the output of `probe` (the test's own loop).
std::string Eventually(const std::function<CommandOutput()>& probe,
                       const std::function<bool(const std::string&)>& done) {
  std::string last;
  for (int i = 0; i < 150; ++i) {
    CommandOutput r = probe();
    last = r.out;
    if (r.exit_code == 0 && done(last)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return last;
}

json StatusJson(const std::string& ns, const std::string& name) {
  std::string out = Eventually(
      [&] {
        return TestCluster::Get().Plugin("admin", {"status", name, "-n", ns, "-o", "json"});
      },
      [](const std::string& text) {
        json doc = json::parse(text, nullptr, false);
        return doc.is_object() && doc["items"].size() == 1 && doc["items"][0]["ready"] == doc["items"][0]["desired"];
      });
  return json::parse(out, nullptr, false);
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> Words(const std::string& line) {
  std::vector<std::string> words;
  std::istringstream in(line);
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

/// The first word of each line: the NAME column of a table.
std::vector<std::string> FirstColumn(const std::string& table) {
  std::vector<std::string> names;
  for (const std::string& line : Lines(table)) {
    if (!Words(line).empty()) names.push_back(Words(line).front());
  }
  return names;
}

/// Runs `kubectl-llm ARGS` as admin with its stdout a pipe, as a watch is run
/// by a script: once `ready` accepts its output, `change` runs (on a thread
/// of its own, so the output keeps being read); once `done` accepts the
/// output, Ctrl-C. Killed after 90 s.
CommandOutput WatchUntil(const std::vector<std::string>& args, const std::function<bool(const std::string&)>& ready,
                         const std::function<void()>& change, const std::function<bool(const std::string&)>& done) {
  const TestCluster& cluster = TestCluster::Get();
  std::vector<std::string> argv = {KUBECTL_LLM_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  std::thread changer;
  std::atomic<bool> changed{false};
  bool interrupted = false;  // once: a second Ctrl-C ends the process at once, as it should
  CommandOutput out =
      RunCommand(argv, {"KUBECONFIG=" + cluster.Kubeconfig("admin"), "KUBECACHEDIR=" + cluster.dir() + "/kube-cache"},
                 "", {}, [&](const CommandOutput& so_far, std::chrono::milliseconds elapsed) {
                   if (elapsed > std::chrono::seconds(90)) return SIGKILL;
                   if (!changed && ready(so_far.out)) {
                     changed = true;
                     changer = std::thread(change);
                     return 0;
                   }
                   if (interrupted || !changed || !done(so_far.out)) return 0;
                   interrupted = true;
                   return SIGINT;
                 });
  if (changer.joinable()) changer.join();
  return out;
}

/// Labels `object` (e.g. "deployment/chat") with `label` ("k=v", or "k-" to remove it).
void Label(const std::string& ns, const std::string& object, const std::string& label) {
  std::vector<std::string> args = {"label", "--overwrite", object, label};
  if (!ns.empty()) args.insert(args.begin(), {"-n", ns});
  CommandOutput r = TestCluster::Get().Kubectl("admin", args);
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
}

TEST_CASE("read-cmds: status -o json of a running Deployment, field by field") {
  ScopedNamespace ns("read-cmds-status");
  Apply(ns.name(), ServeManifest("chat", 2, 1));
  json doc = StatusJson(ns.name(), "chat");
  REQUIRE(doc.is_object());
  CHECK(doc["apiVersion"] == "kubectl-llm.dev/v1alpha1");
  CHECK(doc["kind"] == "WorkloadStatusList");
  REQUIRE(doc["items"].size() == 1);
  const json& item = doc["items"][0];
  CHECK(item["name"] == "chat");
  CHECK(item["namespace"] == ns.name());
  CHECK(item["kind"] == "Deployment");
  CHECK(item["apiVersion"] == "apps/v1");
  CHECK(item["engine"] == "vllm");
  CHECK(item["component"] == "serve");
  CHECK(item["model"] == "Qwen/Qwen2.5-0.5B-Instruct");
  CHECK(item["state"] == "Available");
  CHECK(item["ready"] == 2);
  CHECK(item["desired"] == 2);
  CHECK(item["unit"] == "pods");
  CHECK(item["gpus"] == 2);
  CHECK(item["creationTimestamp"].get<std::string>().size() == 20);
  CHECK(item["endpoint"]["service"] == "chat");
  CHECK(item["endpoint"]["port"] == 8000);
  CHECK(item["endpoint"]["host"] == "chat." + ns.name() + ".svc");
  CHECK(item["endpoint"]["url"] == "http://chat." + ns.name() + ".svc:8000");

  CommandOutput table = TestCluster::Get().Plugin("admin", {"status", "-n", ns.name()});
  CHECK(table.exit_code == 0);
  CHECK(table.out.starts_with("NAME "));
  CHECK(table.out.find("2/2") != std::string::npos);

  CommandOutput missing = TestCluster::Get().Plugin("admin", {"status", "ghost", "-n", ns.name()});
  CHECK(missing.exit_code == 1);
  // The plugin's own words: no server answered NotFound for this name.
  CHECK(missing.err == "error: no workload \"ghost\" made by kubectl-llm in namespace \"" + ns.name() +
                           "\" (`kubectl llm list -n " + ns.name() + "` lists them)\n");
  CHECK(missing.err.find("Error from server") == std::string::npos);
}

TEST_CASE("read-cmds: list -A shows workloads of several namespaces, and list -n of an empty one") {
  ScopedNamespace a("read-cmds-list-a");
  ScopedNamespace b("read-cmds-list-b");
  ScopedNamespace empty("read-cmds-list-empty");
  Apply(a.name(), ServeManifest("chat", 1, 1));
  Apply(b.name(), kTrainJob);
  CommandOutput all = TestCluster::Get().Plugin("admin", {"list", "-A"});
  REQUIRE(all.exit_code == 0);
  CHECK(all.out.starts_with("NAMESPACE "));
  CHECK(all.out.find(a.name() + " ") != std::string::npos);
  CHECK(all.out.find(b.name() + " ") != std::string::npos);
  CHECK(all.out.find("pretrain") != std::string::npos);
  CHECK(all.out.find("Job") != std::string::npos);
  CommandOutput json_all = TestCluster::Get().Plugin("admin", {"list", "-A", "-o", "json"});
  REQUIRE(json_all.exit_code == 0);
  json doc = json::parse(json_all.out);
  int mine = 0;
  for (const json& item : doc["items"]) {
    if (item["namespace"] == b.name()) {
      ++mine;
      CHECK(item["kind"] == "Job");
      CHECK(item["state"] == "Suspended");
    }
  }
  CHECK(mine == 1);
  CommandOutput none = TestCluster::Get().Plugin("admin", {"list", "-n", empty.name()});
  CHECK(none.exit_code == 0);
  CHECK(none.out.empty());
  CHECK(none.err == "No resources found in " + empty.name() + " namespace.\n");
}

TEST_CASE("read-cmds: nodes shows the fake GPU nodes, and GPUs used once a GPU pod runs") {
  ScopedNamespace ns("read-cmds-nodes");
  Apply(ns.name(), ServeManifest("hold", 1, 3));
  std::string node = Eventually(
      [&] {
        return TestCluster::Get().Kubectl("admin",
                                          {"get", "pods", "-n", ns.name(), "-o", "jsonpath={.items[0].spec.nodeName}"});
      },
      [](const std::string& text) { return !text.empty(); });
  REQUIRE(node.starts_with("gpu-node-"));
  CommandOutput r = TestCluster::Get().Plugin("admin", {"nodes", "-o", "json"});
  REQUIRE(r.exit_code == 0);
  json doc = json::parse(r.out);
  CHECK(doc["kind"] == "GpuNodeList");
  REQUIRE(doc["items"].size() == 2);
  CHECK(doc["items"][0]["name"] == "gpu-node-0");
  CHECK(doc["items"][1]["name"] == "gpu-node-1");
  for (const json& item : doc["items"]) {
    CHECK(item["product"] == "NVIDIA-H100-80GB-HBM3");
    CHECK(item["allocatable"] == 8);
    CHECK(item["memoryMiB"] == 81559);
    CHECK(item["taints"] == json::array({"nvidia.com/gpu=present:NoSchedule"}));
    // validate-nodes tests may have labelled the nodes; any state is one of these.
    const std::string state = item["validation"];
    CHECK((state == "unvalidated" || state == "pass" || state == "fail" || state == "error" || state == "expired"));
    CHECK(item["free"] == 8 - item["used"].get<int>());
    if (item["name"] == node) CHECK(item["used"].get<int>() >= 3);
  }
  CommandOutput table = TestCluster::Get().Plugin("admin", {"nodes"});
  CHECK(table.exit_code == 0);
  CHECK(table.out.starts_with("NAME "));
  CHECK(table.out.find("cpu-node-0") == std::string::npos);
}

TEST_CASE("read-cmds: status -l, --field-selector, --sort-by, -L, --show-labels and --no-headers, as kubectl get") {
  ScopedNamespace ns("read-cmds-listing");
  Apply(ns.name(), ServeManifest("chat", 3, 0));
  Apply(ns.name(), ServeManifest("big", 1, 0));
  Apply(ns.name(), ServeManifest("mid", 2, 0));
  Label(ns.name(), "deployment/chat", "team=a");
  Label(ns.name(), "deployment/big", "team=b");
  Label(ns.name(), "deployment/mid", "team=a");
  const auto status = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"status", "-n", ns.name()});
    return TestCluster::Get().Plugin("admin", args);
  };
  const auto kubectl = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"get", "deployments", "-n", ns.name()});
    CommandOutput r = TestCluster::Get().Kubectl("admin", args);
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    return r.out;
  };

  // -l goes to the server with the plugin's own managed-by selector.
  CommandOutput team_a = status({"-l", "team=a", "--no-headers"});
  REQUIRE_MESSAGE(team_a.exit_code == 0, team_a.err);
  CHECK(FirstColumn(team_a.out) == std::vector<std::string>{"chat", "mid"});
  CHECK(FirstColumn(status({"-l", "team in (b),app.kubernetes.io/component=serve", "--no-headers"}).out) ==
        std::vector<std::string>{"big"});
  CommandOutput none = status({"-l", "team=c"});
  CHECK(none.exit_code == 0);
  CHECK(none.out.empty());
  CHECK(none.err == "No resources found in " + ns.name() + " namespace.\n");

  // --sort-by: kubectl's order over the same objects (numbers by value).
  const std::vector<std::string> by_replicas =
      FirstColumn(kubectl({"--sort-by", ".spec.replicas", "--no-headers", "-o", "custom-columns=N:.metadata.name"}));
  CHECK(by_replicas == std::vector<std::string>{"big", "mid", "chat"});
  CommandOutput sorted = status({"--sort-by", ".spec.replicas", "--no-headers"});
  REQUIRE_MESSAGE(sorted.exit_code == 0, sorted.err);
  CHECK(FirstColumn(sorted.out) == by_replicas);
  CommandOutput sorted_json = status({"--sort-by", "{.metadata.creationTimestamp}", "-o", "json"});
  REQUIRE(sorted_json.exit_code == 0);
  const json items = json::parse(sorted_json.out)["items"];
  REQUIRE(items.size() == 3);
  CHECK(items[0]["creationTimestamp"] <= items[1]["creationTimestamp"]);
  CHECK(items[1]["creationTimestamp"] <= items[2]["creationTimestamp"]);
  CommandOutput missing = status({"--sort-by", ".spec.nothing"});
  CHECK(missing.exit_code == 1);
  // kubectl says it with -o json (its table path loses the error and prints "No resources found").
  CommandOutput kubectl_missing = TestCluster::Get().Kubectl(
      "admin", {"get", "deployments", "-n", ns.name(), "--sort-by", ".spec.nothing", "-o", "json"});
  CHECK(kubectl_missing.exit_code != 0);
  CHECK(missing.err.find("couldn't find any field with path \"{.spec.nothing}\" in the list of objects") !=
        std::string::npos);
  CHECK(kubectl_missing.err.find("couldn't find any field with path \"{.spec.nothing}\" in the list of objects") !=
        std::string::npos);

  // -L and --show-labels: after the plugin's columns, the same cells kubectl prints.
  const std::vector<std::string> label_flags = {"-L", "team,app.kubernetes.io/component", "--show-labels", "--sort-by",
                                                ".metadata.name"};
  CommandOutput labelled = status(label_flags);
  REQUIRE_MESSAGE(labelled.exit_code == 0, labelled.err);
  const std::string theirs = kubectl(label_flags);
  const std::vector<std::string> ours_lines = Lines(labelled.out), their_lines = Lines(theirs);
  REQUIRE(ours_lines.size() == 4);
  REQUIRE(their_lines.size() == 4);
  for (size_t i = 0; i < 4; ++i) {
    const std::vector<std::string> ours = Words(ours_lines[i]), their = Words(their_lines[i]);
    REQUIRE(ours.size() >= 3);
    REQUIRE(their.size() >= 3);
    CHECK(std::vector<std::string>(ours.end() - 3, ours.end()) ==
          std::vector<std::string>(their.end() - 3, their.end()));
    CHECK(ours.front() == their.front());
  }
  CHECK(Words(ours_lines[0]).back() == "LABELS");
  CHECK(ours_lines[1].find("app.kubernetes.io/instance=big,") != std::string::npos);
  CommandOutput json_labels = status({"--show-labels", "-o", "json"});
  CHECK(json_labels.exit_code == 2);
  CHECK(json_labels.err.find("--show-labels option cannot be used with json printer") != std::string::npos);

  // --field-selector goes to the server, which names what it cannot filter on.
  CHECK(FirstColumn(status({"--field-selector", "metadata.name=mid", "--no-headers"}).out) ==
        std::vector<std::string>{"mid"});
  CommandOutput bad_field = status({"--field-selector", "spec.replicas=1"});
  CHECK(bad_field.exit_code == 1);
  CHECK_MESSAGE(bad_field.err.find("spec.replicas") != std::string::npos, bad_field.err);
  CommandOutput bad_label = status({"-l", "team in (a"});
  CHECK(bad_label.exit_code == 2);
  CHECK_MESSAGE(bad_label.err.find("--selector") != std::string::npos, bad_label.err);
}

TEST_CASE("read-cmds: status -w prints the table, then a line when a workload changes, Ctrl-C ends it with 130") {
  ScopedNamespace ns("read-cmds-watch");
  Apply(ns.name(), ServeManifest("chat", 1, 0));
  Apply(ns.name(), ServeManifest("other", 1, 0));
  CommandOutput watch = WatchUntil(
      {"status", "-n", ns.name(), "-w", "-L", "team"},
      [](const std::string& out) { return out.find("\nother ") != std::string::npos; },
      [&] {
        CommandOutput scaled =
            TestCluster::Get().Kubectl("admin", {"scale", "-n", ns.name(), "deployment/chat", "--replicas=4"});
        CHECK_MESSAGE(scaled.exit_code == 0, scaled.err);
        Label(ns.name(), "deployment/other", "team=watchers");
      },
      [](const std::string& out) {
        return out.find("/4 ") != std::string::npos && out.find("watchers") != std::string::npos;
      });
  CHECK_MESSAGE(watch.term_signal == 0, watch.out);
  CHECK_MESSAGE(watch.exit_code == 130, watch.err);
  const std::vector<std::string> lines = Lines(watch.out);
  REQUIRE(lines.size() >= 5);
  CHECK(lines[0].starts_with("NAME "));
  CHECK(Words(lines[0]).back() == "TEAM");
  CHECK(lines[1].starts_with("chat "));
  CHECK(lines[2].starts_with("other "));
  // Later lines are rows alone, lined up under the table: no header again.
  int headers = 0;
  bool scaled = false, relabelled = false;
  for (size_t i = 3; i < lines.size(); ++i) {
    if (lines[i].starts_with("NAME ")) ++headers;
    if (lines[i].starts_with("chat ") && lines[i].find("/4 ") != std::string::npos) scaled = true;
    if (lines[i].starts_with("other ") && Words(lines[i]).back() == "watchers") relabelled = true;
    CHECK(lines[i].find("Deployment") == lines[1].find("Deployment"));
  }
  CHECK(headers == 0);
  CHECK(scaled);
  CHECK(relabelled);
}

TEST_CASE("read-cmds: nodes -l, --field-selector, -L, --sort-by, and -w printing a node whose label changed") {
  const std::string order_label = "llm-listing-order";
  const std::string watch_label = "llm-listing-watch";
  struct Cleanup {
    std::string order, watch;
    ~Cleanup() {
      for (const char* node : {"node/gpu-node-0", "node/gpu-node-1"}) {
        TestCluster::Get().Kubectl("admin", {"label", node, order + "-", watch + "-"});
      }
    }
  } cleanup{order_label, watch_label};
  Label("", "node/gpu-node-0", order_label + "=2");
  Label("", "node/gpu-node-1", order_label + "=1");

  CommandOutput one =
      TestCluster::Get().Plugin("admin", {"nodes", "-l", "kubernetes.io/hostname=gpu-node-1", "--no-headers"});
  REQUIRE_MESSAGE(one.exit_code == 0, one.err);
  CHECK(FirstColumn(one.out) == std::vector<std::string>{"gpu-node-1"});
  CommandOutput by_field =
      TestCluster::Get().Plugin("admin", {"nodes", "--field-selector", "metadata.name=gpu-node-0", "-o", "json"});
  REQUIRE(by_field.exit_code == 0);
  REQUIRE(json::parse(by_field.out)["items"].size() == 1);
  CHECK(json::parse(by_field.out)["items"][0]["name"] == "gpu-node-0");

  CommandOutput sorted = TestCluster::Get().Plugin(
      "admin", {"nodes", "--sort-by", "{.metadata.labels." + order_label + "}", "-L", order_label});
  REQUIRE_MESSAGE(sorted.exit_code == 0, sorted.err);
  const std::vector<std::string> lines = Lines(sorted.out);
  REQUIRE(lines.size() == 3);
  CHECK(Words(lines[0]).back() == "LLM-LISTING-ORDER");
  CHECK(lines[1].starts_with("gpu-node-1 "));
  CHECK(Words(lines[1]).back() == "1");
  CHECK(lines[2].starts_with("gpu-node-0 "));

  CommandOutput watch = WatchUntil(
      {"nodes", "-w", "-L", watch_label},
      [](const std::string& out) { return out.find("\ngpu-node-1 ") != std::string::npos; },
      [&] { Label("", "node/gpu-node-0", watch_label + "=seen"); },
      [](const std::string& out) { return out.find("seen") != std::string::npos; });
  CHECK_MESSAGE(watch.exit_code == 130, watch.err);
  const std::vector<std::string> watched = Lines(watch.out);
  REQUIRE(watched.size() >= 4);
  CHECK(watched[0].starts_with("NAME "));
  CHECK(watched.back().starts_with("gpu-node-0 "));
  CHECK(Words(watched.back()).back() == "seen");
}

TEST_CASE("read-cmds: doctor as admin passes, as dev it reports permissions") {
  // doctor fails on an installed CRD whose controller does not run.
  for (const char* controller : {"jobset", "lws"}) {
    CommandOutput started = TestCluster::Get().Controller("start", controller);
    REQUIRE_MESSAGE(started.exit_code == 0, started.err);
  }
  CommandOutput admin = TestCluster::Get().Plugin("admin", {"doctor"});
  CHECK_MESSAGE(admin.exit_code == 0, admin.out);
  CHECK(admin.out.find("[ok]   API server https://127.0.0.1:") == 0);
  CHECK(admin.out.find("reachable, Kubernetes v1.35.4") != std::string::npos);
  CHECK(admin.out.find("[ok]   2 GPU nodes, 16 GPUs allocatable (NVIDIA-H100-80GB-HBM3 x2)") != std::string::npos);
  CHECK(admin.out.find("[ok]   LeaderWorkerSet (sigs.k8s.io/lws) installed") != std::string::npos);
  CHECK(admin.out.find("[ok]   JobSet (sigs.k8s.io/jobset) installed") != std::string::npos);
  CHECK(admin.out.find("[ok]   JobSet controller runs: its leader election Lease "
                       "jobset-system/6d4f6a47.jobset.x-k8s.io was renewed ") != std::string::npos);
  CHECK(admin.out.find("[ok]   LeaderWorkerSet controller runs: its leader election Lease "
                       "lws-system/b8b2488c.x-k8s.io was renewed ") != std::string::npos);
  CHECK(admin.out.find("[ok]   KEDA ScaledObject (keda.sh) installed") != std::string::npos);
  CHECK(admin.out.find("[ok]   Kueue LocalQueue (kueue.x-k8s.io) installed") != std::string::npos);
  CHECK(admin.out.find("[ok]   RuntimeClass nvidia present") != std::string::npos);
  CHECK(admin.out.find("[ok]   can list nodes (cluster-wide)") != std::string::npos);
  CHECK(admin.out.find("[fail]") == std::string::npos);

  // dev may do everything serve/train need in team-a, nothing cluster-wide.
  CommandOutput dev = TestCluster::Get().Plugin("dev", {"doctor"});
  CHECK_MESSAGE(dev.exit_code == 0, dev.out);
  CHECK(dev.out.find("[ok]   can get, list, create, patch, delete deployments.apps in namespace team-a") !=
        std::string::npos);
  CHECK(dev.out.find("[warn] cannot list nodes, so GPU nodes are not checked") != std::string::npos);
  CHECK(dev.out.find("[warn] cannot list nodes: serve/train skip the GPU capacity preflight") != std::string::npos);
  // Nor read the controllers' namespaces: doctor says it cannot tell.
  CHECK(dev.out.find("[warn] JobSet controller may or may not run: cannot read Deployment "
                     "jobset-system/jobset-controller-manager (") != std::string::npos);
  CHECK(dev.out.find("[fail]") == std::string::npos);

  CommandOutput elsewhere = TestCluster::Get().Plugin("dev", {"doctor", "-n", "default"});
  CHECK(elsewhere.exit_code == 1);
  CHECK(elsewhere.out.find("[fail] cannot get, list, create, patch, delete deployments.apps in namespace default "
                           "(needed by serve)") != std::string::npos);
}

int RunningPods(const std::string& ns) {
  CommandOutput r = TestCluster::Get().Kubectl(
      "admin", {"get", "pods", "-n", ns, "--field-selector=status.phase=Running", "-o", "name"});
  int lines = 0;
  for (char c : r.out) lines += c == '\n';
  return lines;
}

int WaitForRunningPods(const std::string& ns, int want) {
  int got = -1;
  for (int i = 0; i < 150 && got != want; ++i) {
    got = RunningPods(ns);
    if (got != want) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return got;
}

TEST_CASE("read-cmds: scale a Deployment up and down through the scale subresource") {
  ScopedNamespace ns("read-cmds-scale");
  Apply(ns.name(), ServeManifest("chat", 1, 1));
  Apply(ns.name(), kTrainJob);
  CHECK(WaitForRunningPods(ns.name(), 1) == 1);

  CommandOutput up = TestCluster::Get().Plugin("admin", {"scale", "chat", "--replicas", "3", "-n", ns.name()});
  CHECK_MESSAGE(up.exit_code == 0, up.err);
  CHECK(up.out == "deployment.apps/chat scaled\n");
  CHECK(WaitForRunningPods(ns.name(), 3) == 3);

  CommandOutput mismatch = TestCluster::Get().Plugin(
      "admin", {"scale", "chat", "--replicas", "1", "--current-replicas", "2", "-n", ns.name()});
  CHECK(mismatch.exit_code == 1);
  CHECK(mismatch.err == "error: Expected replicas to be 2, was 3\n");

  CommandOutput down = TestCluster::Get().Plugin(
      "admin", {"scale", "chat", "--replicas", "1", "--current-replicas", "3", "-n", ns.name()});
  CHECK_MESSAGE(down.exit_code == 0, down.err);
  CHECK(WaitForRunningPods(ns.name(), 1) == 1);
  CommandOutput replicas = TestCluster::Get().Kubectl(
      "admin", {"get", "deployment", "chat", "-n", ns.name(), "-o", "jsonpath={.spec.replicas}"});
  CHECK(replicas.out == "1");

  // kubectl scale's --resource-version precondition, -o name, --dry-run=client.
  auto scale_version = [&] {
    return TestCluster::Get()
        .Kubectl("admin", {"get", "--raw", "/apis/apps/v1/namespaces/" + ns.name() + "/deployments/chat/scale"})
        .out;
  };
  const std::string version = nlohmann::json::parse(scale_version())["metadata"]["resourceVersion"];
  CommandOutput stale = TestCluster::Get().Plugin(
      "admin", {"scale", "chat", "--replicas", "2", "--resource-version", "1", "-n", ns.name()});
  CHECK(stale.exit_code == 1);
  CHECK(stale.err == "error: Expected resource version to be 1, was " + version + "\n");
  CommandOutput dry =
      TestCluster::Get().Plugin("admin", {"scale", "chat", "--replicas", "2", "--dry-run=client", "-n", ns.name()});
  CHECK(dry.out == "deployment.apps/chat scaled (dry run)\n");
  CommandOutput named = TestCluster::Get().Plugin(
      "admin", {"scale", "chat", "--replicas", "1", "--resource-version", version, "-o", "name", "-n", ns.name()});
  CHECK_MESSAGE(named.exit_code == 0, named.err);
  CHECK(named.out == "deployment.apps/chat\n");

  // An autoscaled deployment: --min/--max move its HorizontalPodAutoscaler's bounds.
  REQUIRE(TestCluster::Get()
              .Kubectl("admin", {"autoscale", "deployment", "chat", "--min=1", "--max=3", "-n", ns.name()})
              .exit_code == 0);
  CommandOutput bounds =
      TestCluster::Get().Plugin("admin", {"scale", "chat", "--min", "2", "--max", "5", "-n", ns.name()});
  CHECK_MESSAGE(bounds.exit_code == 0, bounds.err);
  CHECK(bounds.out == "horizontalpodautoscaler.autoscaling/chat patched (minReplicas 2, maxReplicas 5)\n");
  CommandOutput hpa = TestCluster::Get().Kubectl(
      "admin", {"get", "hpa", "chat", "-n", ns.name(), "-o", "jsonpath={.spec.minReplicas} {.spec.maxReplicas}"});
  CHECK(hpa.out == "2 5");

  CommandOutput job = TestCluster::Get().Plugin("admin", {"scale", "pretrain", "--replicas", "4", "-n", ns.name()});
  CHECK(job.exit_code == 1);
  CHECK(job.err.find("error: job.batch/pretrain is a training job and cannot be scaled") == 0);

  // As dev, outside team-a: the server's Forbidden, printed as kubectl prints it.
  CommandOutput dev_denied = TestCluster::Get().Plugin("dev", {"scale", "chat", "--replicas", "2", "-n", ns.name()});
  CHECK(dev_denied.exit_code == 1);
  CHECK(dev_denied.err.find("Error from server (Forbidden)") != std::string::npos);
}

const char* kStatefulSet = R"(
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  labels: &labels
    app.kubernetes.io/name: custom
    app.kubernetes.io/instance: db
    app.kubernetes.io/component: serve
    app.kubernetes.io/managed-by: kubectl-llm
spec:
  replicas: 1
  serviceName: db
  selector: {matchLabels: {app.kubernetes.io/instance: db}}
  template:
    metadata: {labels: *labels}
    spec:
      containers: [{name: engine, image: vllm/vllm-openai:v0.11.0}]
)";

/// The names of the pods the LWS controller made for `lws`, sorted, one a line,
/// once they are as many as `count` (kubectl wait cannot wait for a count).
std::string LwsPodsOnce(const std::string& ns, const std::string& lws, size_t count) {
  std::string names;
  for (int i = 0; i < 120; ++i) {
    names =
        TestCluster::Get()
            .Kubectl("admin", {"-n", ns, "get", "pods", "-l", "leaderworkerset.sigs.k8s.io/name=" + lws,
                               "--sort-by=.metadata.name", "-o",
                               "jsonpath={range .items[?(@.status.phase==\"Running\")]}{.metadata.name}{\"\\n\"}{end}"})
            .out;
    if (static_cast<size_t>(std::count(names.begin(), names.end(), '\n')) == count) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  return names;
}

TEST_CASE("read-cmds: scale a LeaderWorkerSet (its CRD's scale subresource, its pods follow) and a StatefulSet") {
  CommandOutput controller = TestCluster::Get().Controller("start", "lws");
  REQUIRE_MESSAGE(controller.exit_code == 0, controller.err);
  ScopedNamespace ns("read-cmds-scale-kinds");
  CommandOutput lws = TestCluster::Get().Plugin("admin", {"serve", "big", "-n", ns.name(), "--model", "org/m", "--gpus",
                                                          "1", "--nodes", "2", "--wait", "--timeout", "3m"});
  REQUIRE_MESSAGE(lws.exit_code == 0, lws.err);
  CHECK(LwsPodsOnce(ns.name(), "big", 2) == "big-0\nbig-0-1\n");
  CommandOutput groups = TestCluster::Get().Plugin("admin", {"scale", "big", "--replicas", "2", "-n", ns.name()});
  CHECK_MESSAGE(groups.exit_code == 0, groups.err);
  CHECK(groups.out == "leaderworkerset.leaderworkerset.x-k8s.io/big scaled\n");
  CHECK(TestCluster::Get()
            .Kubectl("admin", {"get", "leaderworkerset", "big", "-n", ns.name(), "-o", "jsonpath={.spec.replicas}"})
            .out == "2");
  // The controller made a second group (leader big-1, worker big-1-1), and removes it again.
  CHECK(LwsPodsOnce(ns.name(), "big", 4) == "big-0\nbig-0-1\nbig-1\nbig-1-1\n");
  groups = TestCluster::Get().Plugin("admin", {"scale", "big", "--replicas", "1", "-n", ns.name()});
  CHECK_MESSAGE(groups.exit_code == 0, groups.err);
  CHECK(LwsPodsOnce(ns.name(), "big", 2) == "big-0\nbig-0-1\n");

  Apply(ns.name(), kStatefulSet);
  CommandOutput pods = TestCluster::Get().Plugin("admin", {"scale", "db", "--replicas", "3", "-n", ns.name()});
  CHECK_MESSAGE(pods.exit_code == 0, pods.err);
  CHECK(pods.out == "statefulset.apps/db scaled\n");
  CHECK(TestCluster::Get()
            .Kubectl("admin", {"get", "statefulset", "db", "-n", ns.name(), "-o", "jsonpath={.spec.replicas}"})
            .out == "3");
  CommandOutput status = TestCluster::Get().Plugin("admin", {"status", "db", "-n", ns.name()});
  CHECK_MESSAGE(status.exit_code == 0, status.err);
  CHECK(status.out.find("StatefulSet") != std::string::npos);
  CHECK(TestCluster::Get().Plugin("admin", {"delete", "big", "-n", ns.name()}).exit_code == 0);
}

}  // namespace
}  // namespace llm::testing

// serve, train, delete and diff as a user runs them, against the real control
// plane: kwok runs the pods, the real LeaderWorkerSet and JobSet controller
// managers (tests/cluster/controllers.sh, started by the tests that need them)
// make them from a LeaderWorkerSet or a JobSet.
#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "integration/kube_client.h"
#include "integration/test_cluster.h"

namespace llm::testing {
namespace {

using nlohmann::json;

CommandOutput Llm(const std::string& user, std::vector<std::string> args) {
  return TestCluster::Get().Plugin(user, args);
}

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// Every object of the instance the tool may create, by label, as "kind/name"
/// lines; pods once the garbage collector has removed them (deletion propagates
/// in the background, as kubectl delete's default).
std::string Leftovers(const std::string& ns, const std::string& instance) {
  const std::string selector = "app.kubernetes.io/instance=" + instance;
  CommandOutput pods =
      TestCluster::Get().Kubectl("admin", {"-n", ns, "wait", "--for=delete", "pods", "-l", selector, "--timeout=60s"});
  CHECK_MESSAGE((pods.exit_code == 0 || Contains(pods.err, "no matching resources found")), pods.err);
  CommandOutput out = TestCluster::Get().Kubectl(
      "admin", {"-n", ns, "get",
                "deployments,services,jobs,pods,horizontalpodautoscalers,leaderworkersets,jobsets,configmaps,secrets",
                "-l", selector, "-o", "name"});
  REQUIRE(out.exit_code == 0);
  return out.out;
}

TEST_CASE("serve one node: --wait until ready, re-apply unchanged, dropped option pruned, diff, delete") {
  ScopedNamespace ns("apply-serve-one");
  const std::vector<std::string> base = {"serve", "chat",   "-n", ns.name(), "--model",
                                         "org/m", "--gpus", "1",  "--cpu",   "2"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };

  CommandOutput first = Llm("admin", with({"--wait", "--timeout", "2m"}));
  CHECK_MESSAGE(first.exit_code == 0, first.err);
  CHECK(Contains(first.out, "service/chat created\n"));
  CHECK(Contains(first.out, "deployment.apps/chat created\n"));
  CHECK(Contains(first.out, "deployment \"chat\" successfully rolled out"));

  CommandOutput again = Llm("admin", base);
  CHECK(again.exit_code == 0);
  CHECK(again.out == "service/chat unchanged\ndeployment.apps/chat unchanged\n");

  CommandOutput scaled = Llm("admin", with({"--autoscale", "1:3"}));
  CHECK_MESSAGE(scaled.exit_code == 0, scaled.err);
  CHECK(Contains(scaled.out, "horizontalpodautoscaler.autoscaling/chat created\n"));

  CommandOutput diff_same =
      Llm("admin", {"diff", "serve", "chat", "-n", ns.name(), "--model", "org/m", "--gpus", "1", "--cpu", "2"});
  CHECK_MESSAGE(diff_same.exit_code == 1, diff_same.err);  // the HPA would be pruned
  CHECK(Contains(diff_same.out, "--- LIVE/autoscaling.v2.HorizontalPodAutoscaler." + ns.name() + ".chat\n"));

  CommandOutput pruned = Llm("admin", base);
  CHECK_MESSAGE(pruned.exit_code == 0, pruned.err);
  CHECK(Contains(pruned.out, "horizontalpodautoscaler.autoscaling/chat pruned\n"));
  CHECK(TestCluster::Get().Kubectl("admin", {"-n", ns.name(), "get", "hpa", "chat"}).exit_code != 0);

  // Back to replicas: 1, the Deployment scales down; its status changes until
  // then, and a diff (a dry run, then a read, as kubectl diff) would show them.
  REQUIRE(TestCluster::Get()
              .Kubectl("admin", {"-n", ns.name(), "rollout", "status", "deployment/chat", "--timeout=60s"})
              .exit_code == 0);
  CommandOutput no_diff =
      Llm("admin", {"diff", "serve", "chat", "-n", ns.name(), "--model", "org/m", "--gpus", "1", "--cpu", "2"});
  CHECK_MESSAGE(no_diff.exit_code == 0, no_diff.err);
  CHECK_MESSAGE(no_diff.out.empty(), no_diff.out);
  CommandOutput diff = Llm("admin", {"diff", "serve", "chat", "-n", ns.name(), "--model", "org/m", "--gpus", "1",
                                     "--cpu", "2", "--replicas", "2"});
  CHECK(diff.exit_code == 1);
  CHECK(Contains(diff.out, "-  replicas: 1\n"));
  CHECK(Contains(diff.out, "+  replicas: 2\n"));
  CommandOutput diff_error = Llm("admin", {"diff", "serve", "chat", "-n", ns.name()});
  CHECK(diff_error.exit_code == 2);
  // KUBECTL_EXTERNAL_DIFF, as kubectl diff runs it: the program on a LIVE and a MERGED directory.
  std::vector<std::string> external = {KUBECTL_LLM_BINARY, "diff",  "serve",  "chat", "-n",    ns.name(),
                                       "--model",          "org/m", "--gpus", "1",    "--cpu", "2",
                                       "--replicas",       "2"};
  CommandOutput external_diff =
      RunCommand(external, {"KUBECONFIG=" + TestCluster::Get().Kubeconfig("admin"), "KUBECTL_EXTERNAL_DIFF=diff -u -N",
                            "KUBECACHEDIR=" + TestCluster::Get().dir() + "/kube-cache"});
  CHECK_MESSAGE(external_diff.exit_code == 1, external_diff.err);
  CHECK(Contains(external_diff.out, "/LIVE-"));
  CHECK(Contains(external_diff.out, "/apps.v1.Deployment." + ns.name() + ".chat\t"));
  CHECK(Contains(external_diff.out, "-  replicas: 1\n+  replicas: 2\n"));

  CommandOutput removed = Llm("admin", {"delete", "chat", "-n", ns.name(), "--wait", "--timeout", "1m"});
  CHECK_MESSAGE(removed.exit_code == 0, removed.err);
  CHECK(Contains(removed.out, "deployment.apps \"chat\" deleted\n"));
  CHECK(Leftovers(ns.name(), "chat").empty());
  CHECK(TestCluster::Get().Kubectl("admin", {"-n", ns.name(), "get", "secret", "chat"}).exit_code != 0);

  CommandOutput gone = Llm("admin", {"delete", "chat", "-n", ns.name()});
  CHECK(gone.exit_code == 1);
  CHECK(gone.err == "error: no workload \"chat\" in namespace \"" + ns.name() + "\"\n");
}

TEST_CASE(
    "serve applies what its pods need together, then the workload with its autoscaler together, then records both "
    "outcomes together") {
  ScopedNamespace ns("serve-stages");
  CommandOutput created = Llm("admin", {"serve", "staged", "-n", ns.name(), "--model", "org/m", "--gpus", "1", "--cpu",
                                        "1", "--autoscale", "1:2", "--model-cache-pvc", "cache:1Gi", "-v=7"});
  REQUIRE_MESSAGE(created.exit_code == 0, created.err);
  CHECK(created.out ==
        "poddisruptionbudget.policy/staged created\npersistentvolumeclaim/cache created\nservice/staged created\n"
        "deployment.apps/staged created\nhorizontalpodautoscaler.autoscaling/staged created\n");
  // The member applies as -v=7 shows them: a request's line when it is sent,
  // its answer's (" milliseconds") when it is back. The ApplySet parent and
  // the revision's records (Secrets) aside.
  std::vector<std::string> events;
  std::istringstream lines(created.err);
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("PATCH ") || Contains(line, "/secrets/")) continue;
    const std::string path = line.substr(0, line.find('?'));
    const std::string in = "/namespaces/" + ns.name() + "/";
    const std::string resource = path.substr(path.find(in) + in.size());
    events.push_back((Contains(line, " milliseconds") ? "answered " : "sent ") +
                     resource.substr(0, resource.find('/')));
  }
  const std::vector<std::string> staged = {"sent poddisruptionbudgets",
                                           "sent persistentvolumeclaims",
                                           "sent services",
                                           "answered poddisruptionbudgets",
                                           "answered persistentvolumeclaims",
                                           "answered services",
                                           "sent deployments",
                                           "sent horizontalpodautoscalers",
                                           "answered deployments",
                                           "answered horizontalpodautoscalers"};
  std::string seen;
  for (const std::string& event : events) seen += event + "\n";
  CHECK_MESSAGE(events == staged, seen);

  // Then the revision's outcome and the index go together too.
  std::vector<std::string> recorded;
  std::istringstream again(created.err);
  for (std::string line; std::getline(again, line);) {
    const std::string records = "/secrets/kubectl-llm.staged.";
    if (!line.starts_with("PATCH ") || !Contains(line, records)) continue;
    const std::string name = line.substr(line.find(records) + records.size());
    recorded.push_back((Contains(line, " milliseconds") ? "answered " : "sent ") + name.substr(0, name.find('?')));
  }
  // Nothing written to the index before (read first, none yet: no claim for a re-apply sent).
  const std::vector<std::string> outcome = {"sent v1", "sent index", "answered v1", "answered index"};
  seen.clear();
  for (const std::string& event : recorded) seen += event + "\n";
  CHECK_MESSAGE(recorded == outcome, seen);
}

TEST_CASE("delete as kubectl delete: dry runs delete nothing, --cascade=orphan leaves the pods, waits by default") {
  ScopedNamespace ns("apply-delete-flags");
  CommandOutput served =
      Llm("admin", {"serve", "chat", "-n", ns.name(), "--model", "org/m", "--wait", "--timeout", "2m"});
  REQUIRE_MESSAGE(served.exit_code == 0, served.err);
  auto live = [&] {
    return TestCluster::Get()
        .Kubectl("admin", {"-n", ns.name(), "get", "deployments,services,replicasets,pods", "-l",
                           "app.kubernetes.io/instance=chat", "-o", "name"})
        .out;
  };
  const std::string objects = live();
  REQUIRE(Contains(objects, "pod/chat-"));

  CommandOutput client = Llm("admin", {"delete", "chat", "-n", ns.name(), "--dry-run=client"});
  CHECK_MESSAGE(client.exit_code == 0, client.err);
  CHECK(client.out == "deployment.apps \"chat\" deleted (dry run)\nservice \"chat\" deleted (dry run)\n");
  CommandOutput server = Llm("admin", {"delete", "chat", "-n", ns.name(), "--dry-run=server"});
  CHECK_MESSAGE(server.exit_code == 0, server.err);
  CHECK(server.out == "deployment.apps \"chat\" deleted (server dry run)\nservice \"chat\" deleted (server dry run)\n");
  CHECK(live() == objects);

  // Orphaned: the Deployment goes, its ReplicaSet and pods stay; delete
  // waited for the Deployment itself, as kubectl delete does by default.
  CommandOutput orphan = Llm("admin", {"delete", "chat", "-n", ns.name(), "--cascade=orphan", "--grace-period=0"});
  CHECK_MESSAGE(orphan.exit_code == 0, orphan.err);
  CHECK(TestCluster::Get().Kubectl("admin", {"-n", ns.name(), "get", "deployment", "chat"}).exit_code != 0);
  CommandOutput pods = TestCluster::Get().Kubectl(
      "admin", {"-n", ns.name(), "get", "pods,replicasets", "-l", "app.kubernetes.io/instance=chat", "-o", "name"});
  CHECK(Contains(pods.out, "pod/chat-"));
  CHECK(Contains(pods.out, "replicaset.apps/chat-"));

  CHECK(Llm("admin", {"delete", "chat", "-n", ns.name(), "--ignore-not-found"}).exit_code == 0);
  CommandOutput bad = Llm("admin", {"delete", "chat", "-n", ns.name(), "--cascade=sideways"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err == "error: --cascade must be one of 'background', 'foreground' or 'orphan', got 'sideways'\n");
}

TEST_CASE("status shows the autoscaler: its bounds, kubectl's TARGETS, and why the HPA controller cannot scale") {
  ScopedNamespace ns("apply-autoscale-status");
  CommandOutput served = Llm("admin", {"serve", "chat", "-n", ns.name(), "--model", "org/m", "--gpus", "1", "--cpu",
                                       "1", "--autoscale", "1:3", "--wait", "--timeout", "2m"});
  REQUIRE_MESSAGE(served.exit_code == 0, served.err);
  // kube-controller-manager's HPA controller (every 15 s) finds no metrics API
  // here, and says so on the HPA; status passes that on.
  nlohmann::json autoscaler;
  for (int i = 0; i < 60 && (autoscaler.is_null() || autoscaler["problem"] == ""); ++i) {
    if (i > 0) std::this_thread::sleep_for(std::chrono::seconds(1));
    CommandOutput status = Llm("admin", {"status", "chat", "-n", ns.name(), "-o", "json"});
    REQUIRE_MESSAGE(status.exit_code == 0, status.err);
    autoscaler = nlohmann::json::parse(status.out)["items"][0]["autoscaler"];
  }
  INFO(autoscaler.dump());
  CHECK(autoscaler["name"] == "chat");
  CHECK(autoscaler["minReplicas"] == 1);
  CHECK(autoscaler["maxReplicas"] == 3);
  CHECK(autoscaler["metrics"] == nlohmann::json::parse(R"([{"name":"cpu","current":"<unknown>","target":"70%"}])"));
  CHECK(autoscaler["problem"].get<std::string>().starts_with("FailedGetResourceMetric: "));

  CommandOutput wide = Llm("admin", {"status", "chat", "-n", ns.name(), "-o", "wide"});
  CHECK(wide.exit_code == 0);
  CHECK(Contains(wide.out, "1-3         cpu: <unknown>/70%"));
  CHECK(Contains(wide.err, "Warning: " + ns.name() +
                               "/chat is not autoscaled: HorizontalPodAutoscaler chat says FailedGetResourceMetric: "));
}

/// The workload's status as `status -o json` reports it.
json StatusOf(const std::string& ns, const std::string& name) {
  CommandOutput status = Llm("admin", {"status", name, "-n", ns, "-o", "json"});
  REQUIRE_MESSAGE(status.exit_code == 0, status.err);
  json items = json::parse(status.out)["items"];
  REQUIRE(items.size() == 1);
  return items[0];
}

/// "NAME PHASE" lines of the pods matching `selector`, by name.
std::string PodPhases(const std::string& ns, const std::string& selector) {
  return TestCluster::Get()
      .Kubectl("admin", {"-n", ns, "get", "pods", "-l", selector, "--sort-by=.metadata.name", "-o",
                         "jsonpath={range .items[*]}{.metadata.name} {.status.phase}{\"\\n\"}{end}"})
      .out;
}

TEST_CASE("serve several nodes: the LWS controller makes leader and worker pods, --wait waits for both, delete") {
  CommandOutput controller = TestCluster::Get().Controller("start", "lws");
  REQUIRE_MESSAGE(controller.exit_code == 0, controller.err);
  ScopedNamespace ns("apply-serve-lws");
  CommandOutput out = Llm("admin", {"serve", "big", "-n", ns.name(), "--model", "org/m", "--gpus", "8", "--nodes", "2",
                                    "--wait", "--timeout", "3m"});
  CHECK_MESSAGE(out.exit_code == 0, out.err);
  CHECK(Contains(out.out, "leaderworkerset.leaderworkerset.x-k8s.io/big created\n"));
  CHECK(Contains(out.out, "leaderworkerset \"big\" successfully rolled out"));
  // The leader (big-0) and its worker (big-0-1), made by the controller, run;
  // the wait ended only once both were ready (the LWS is Available).
  CHECK(PodPhases(ns.name(), "leaderworkerset.sigs.k8s.io/name=big") == "big-0 Running\nbig-0-1 Running\n");
  CHECK(TestCluster::Get()
            .Kubectl("admin", {"-n", ns.name(), "get", "pod", "big-0-1", "-o",
                               "jsonpath={.metadata.labels.leaderworkerset\\.sigs\\.k8s\\.io/worker-index}"})
            .out == "1");
  const json status = StatusOf(ns.name(), "big");
  CHECK(status["kind"] == "LeaderWorkerSet");
  CHECK(status["state"] == "Available");
  CHECK(status["ready"] == 1);
  CHECK(status["desired"] == 1);
  CHECK(status["gpus"] == 16);
  CHECK(Llm("admin", {"delete", "big", "-n", ns.name()}).exit_code == 0);
  CHECK(Leftovers(ns.name(), "big").empty());
  // The controller's children went with it.
  CHECK(TestCluster::Get()
            .Kubectl("admin", {"-n", ns.name(), "get", "statefulsets,pods", "-l",
                               "leaderworkerset.sigs.k8s.io/name=big", "-o", "name"})
            .out.empty());
}

TEST_CASE("train: indexed-job runs until its pods run (or complete), a JobSet's controller makes its Jobs and pods") {
  ScopedNamespace ns("apply-train");
  CommandOutput job =
      Llm("admin", {"train", "t", "-n", ns.name(), "--backend", "indexed-job", "--image", "reg/img:1", "--nodes", "2",
                    "--gpus-per-node", "1", "--wait", "--timeout", "2m", "--", "python", "train.py"});
  CHECK_MESSAGE(job.exit_code == 0, job.err);
  CHECK(Contains(job.out, "job.batch/t created\n"));
  // kwok runs the pods and, having no process to run, ends them at once: the
  // wait may see "all pods running" or the Job already Complete.
  CHECK((Contains(job.out, "job \"t\": all 2 pods running") || Contains(job.out, "complete")));
  CommandOutput pods =
      TestCluster::Get().Kubectl("admin", {"-n", ns.name(), "get", "pods", "-l", "app.kubernetes.io/instance=t", "-o",
                                           "jsonpath={range .items[*]}{.status.phase}{\"\\n\"}{end}"});
  CHECK((pods.out == "Running\nRunning\n" || pods.out == "Succeeded\nSucceeded\n"));

  CommandOutput controller = TestCluster::Get().Controller("start", "jobset");
  REQUIRE_MESSAGE(controller.exit_code == 0, controller.err);
  CommandOutput jobset =
      Llm("admin", {"train", "js", "-n", ns.name(), "--backend", "jobset", "--image", "reg/img:1", "--nodes", "2",
                    "--gpus-per-node", "1", "--wait", "--timeout", "3m", "--", "python", "train.py"});
  CHECK_MESSAGE(jobset.exit_code == 0, jobset.err);
  CHECK(Contains(jobset.out, "jobset.jobset.x-k8s.io/js created\n"));
  // train's wait ends once every child Job runs; kwok, having no process to
  // run, also completes the pods at once, so the JobSet may be Completed first.
  CHECK((Contains(jobset.out, "jobset \"js\": all 1 jobs running") || Contains(jobset.out, "jobset \"js\" completed")));
  CHECK(TestCluster::Get()
            .Kubectl("admin", {"-n", ns.name(), "wait", "jobset/js", "--for=condition=Completed", "--timeout=60s"})
            .exit_code == 0);
  // One Indexed Job per replicated job ("node"), made by the controller, whose
  // two pods kwok ran to completion.
  CHECK(TestCluster::Get()
            .Kubectl("admin", {"-n", ns.name(), "get", "jobs", "-l", "jobset.sigs.k8s.io/jobset-name=js", "-o",
                               "jsonpath={range .items[*]}{.metadata.name} {.status.succeeded}{\"\\n\"}{end}"})
            .out == "js-node-0 2\n");
  CHECK(TestCluster::Get()
            .Kubectl("admin", {"-n", ns.name(), "get", "pods", "-l", "jobset.sigs.k8s.io/jobset-name=js", "-o",
                               "jsonpath={range .items[*]}{.status.phase}{\"\\n\"}{end}"})
            .out == "Succeeded\nSucceeded\n");
  const json status = StatusOf(ns.name(), "js");
  CHECK(status["kind"] == "JobSet");
  CHECK(status["state"] == "Completed");
  CHECK(Llm("admin", {"delete", "t", "-n", ns.name(), "--wait"}).exit_code == 0);
  CHECK(Llm("admin", {"delete", "js", "-n", ns.name()}).exit_code == 0);
  CHECK(Leftovers(ns.name(), "t").empty());
  CHECK(Leftovers(ns.name(), "js").empty());
  CHECK(TestCluster::Get()
            .Kubectl("admin",
                     {"-n", ns.name(), "get", "jobs,pods", "-l", "jobset.sigs.k8s.io/jobset-name=js", "-o", "name"})
            .out.empty());
}

TEST_CASE("preflight refuses a request no node can hold, and nothing is written") {
  ScopedNamespace ns("apply-too-big");
  CommandOutput out = Llm("admin", {"serve", "huge", "-n", ns.name(), "--model", "org/m", "--gpus", "16"});
  CHECK(out.exit_code == 1);
  CHECK(out.out.empty());
  CHECK(out.err ==
        "error: preflight: each pod needs 16 nvidia.com/gpu; the largest matching node has 8; nothing was applied "
        "(--skip-preflight applies anyway)\n");
  CHECK(Leftovers(ns.name(), "huge").empty());
  CHECK(TestCluster::Get().Kubectl("admin", {"-n", ns.name(), "get", "secret", "huge"}).exit_code != 0);
}

TEST_CASE("the dev user serves in team-a (no node list: fit check skipped) and is refused elsewhere before any write") {
  CommandOutput ok = Llm("dev", {"serve", "dev-chat", "--model", "org/m", "--gpus", "1"});
  CHECK_MESSAGE(ok.exit_code == 0, ok.err);
  CHECK(Contains(ok.err, "Warning: you may not list nodes, so the GPU fit check was skipped\n"));
  CHECK(Contains(ok.out, "deployment.apps/dev-chat created\n"));
  CHECK(Llm("dev", {"delete", "dev-chat"}).exit_code == 0);
  CHECK(Leftovers("team-a", "dev-chat").empty());

  CommandOutput refused = Llm("dev", {"serve", "dev-chat", "-n", "default", "--model", "org/m", "--gpus", "1"});
  CHECK(refused.exit_code == 1);
  CHECK(refused.out.empty());
  CHECK(Contains(refused.err, "error: preflight: you may not create "));
  CHECK(Contains(refused.err, "in the namespace \"default\""));
  CHECK(Contains(refused.err, "; nothing was applied"));
  CHECK(Leftovers("default", "dev-chat").empty());
  CHECK(TestCluster::Get().Kubectl("admin", {"-n", "default", "get", "secret", "dev-chat"}).exit_code != 0);
}

TEST_CASE("--wait on an unschedulable request times out (exit 5) with the scheduler's reason") {
  ScopedNamespace ns("apply-stuck");
  CommandOutput out = Llm("admin", {"serve", "stuck", "-n", ns.name(), "--model", "org/m", "--gpus", "1",
                                    "--node-selector", "pool=none", "--skip-preflight", "--wait", "--timeout", "15s"});
  CHECK(out.exit_code == 5);
  CHECK(Contains(out.err, "error: timed out after 15s waiting for deployments.apps/stuck: "));
  CHECK(Contains(out.err, "nodes are available"));
  CHECK(Llm("admin", {"delete", "stuck", "-n", ns.name()}).exit_code == 0);
}

TEST_CASE("--wait on pods held by a scheduling gate times out (exit 5) naming the gate") {
  ScopedNamespace ns("apply-gated");
  const std::string patch = TestCluster::Get().dir() + "/gated-deployment-patch.yaml";
  std::ofstream(patch) << "spec:\n  template:\n    spec:\n      schedulingGates: [{name: example.com/hold}]\n";
  CommandOutput out = Llm("admin", {"serve", "gated", "-n", ns.name(), "--model", "org/m", "--gpus", "1", "--patch",
                                    "deployment/gated=" + patch, "--wait", "--timeout", "8s"});
  CHECK(out.exit_code == 5);
  CHECK_MESSAGE(Contains(out.err, "error: timed out after 8s waiting for deployments.apps/gated: pod gated-"), out.err);
  CHECK_MESSAGE(Contains(out.err,
                         " is held back from the scheduler by scheduling gate example.com/hold: it is not "
                         "placed until whatever added it removes it\n"),
                out.err);
  CHECK(Llm("admin", {"delete", "gated", "-n", ns.name()}).exit_code == 0);
}

TEST_CASE(
    "-n that disagrees with an object's namespace (moved by --patch) is refused as kubectl refuses it, "
    "before any write") {
  ScopedNamespace ns("apply-ns-enforced");
  ScopedNamespace other("apply-ns-other");
  const std::string patch = TestCluster::Get().dir() + "/move-service-patch.yaml";
  {
    std::ofstream out(patch);
    out << "metadata:\n  namespace: " << other.name() << "\n";
  }
  CommandOutput out = Llm("admin", {"serve", "moved", "-n", ns.name(), "--model", "org/m", "--gpus", "1", "--patch",
                                    "service/moved=" + patch});
  CHECK(out.exit_code == 1);
  CHECK(out.out.empty());
  CHECK(out.err == "error: the namespace from the provided object \"" + other.name() +
                       "\" does not match the namespace \"" + ns.name() +
                       "\". You must pass '--namespace=" + other.name() + "' to perform this operation.\n");
  CHECK(Leftovers(ns.name(), "moved").empty());
  CHECK(Leftovers(other.name(), "moved").empty());
  CHECK(TestCluster::Get().Kubectl("admin", {"-n", ns.name(), "get", "secret", "moved"}).exit_code != 0);
  // diff applies the same rule (its dry run would otherwise show the move).
  CommandOutput diff = Llm("admin", {"diff", "serve", "moved", "-n", ns.name(), "--model", "org/m", "--gpus", "1",
                                     "--patch", "service/moved=" + patch});
  CHECK(diff.exit_code == 2);
  CHECK(Contains(diff.err, "does not match the namespace"));
}

TEST_CASE("-n that is not a namespace name is a usage error naming -n, for every command") {
  const std::vector<std::vector<std::string>> commands = {
      {"serve", "chat", "-n", "bad ns", "--model", "org/m", "--gpus", "1"},
      {"serve", "chat", "-n", "bad ns", "--model", "org/m", "--gpus", "1", "--dry-run=client"},
      {"render", "serve", "chat", "-n", "bad ns", "--model", "org/m"},
      {"status", "-n", "bad ns"},
      {"delete", "chat", "-n", "Bad"},
  };
  for (const auto& command : commands) {
    CommandOutput out = Llm("admin", command);
    CHECK_MESSAGE(out.exit_code == 2, command[0] << ": " << out.err);
    CHECK_MESSAGE(out.err.starts_with("error: -n/--namespace: '"), command[0] << ": " << out.err);
    CHECK(out.out.empty());
  }
}

}  // namespace
}  // namespace llm::testing

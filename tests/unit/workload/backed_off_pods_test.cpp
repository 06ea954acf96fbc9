#include "workload/backed_off_pods.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

using nlohmann::json;

json Container(const std::string& name, const std::string& image) {
  return {{"name", name}, {"image", image}, {"command", {"vllm", "serve"}}};
}

json Waiting(const std::string& reason) { return {{"waiting", {{"reason", reason}}}}; }

json Pod(const std::string& name, json state, const std::string& image = "vllm/vllm-openai:v0.10.2") {
  return {{"metadata", {{"name", name}}},
          {"spec", {{"containers", {Container("vllm", image)}}}},
          {"status", {{"containerStatuses", {{{"name", "vllm"}, {"state", state}}}}}}};
}

json Deployment(const std::string& image) {
  return {{"kind", "Deployment"},
          {"spec", {{"template", {{"spec", {{"containers", {Container("vllm", image)}}}}}}}},
          {"status", {{"replicas", 1}}}};
}

TEST_CASE("a container waiting in a kubelet back-off is a stall that waiting will not end") {
  struct Case {
    const char* name;
    json state;
    const char* reason;
  };
  const std::vector<Case> cases = {
      {"crash loop", Waiting("CrashLoopBackOff"), "CrashLoopBackOff"},
      {"pull back-off", Waiting("ImagePullBackOff"), "ImagePullBackOff"},
      {"invalid image name", Waiting("InvalidImageName"), "InvalidImageName"},
      {"never pull", Waiting("ErrImageNeverPull"), "ErrImageNeverPull"},
      {"a first pull failure may pass", Waiting("ErrImagePull"), ""},
      {"creating", Waiting("ContainerCreating"), ""},
      {"running", {{"running", {{"startedAt", "2026-11-28T12:00:00Z"}}}}, ""},
      {"a Job's failed container: the Job decides", {{"terminated", {{"exitCode", 1}, {"reason", "Error"}}}}, ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CHECK(KubeletBackOffReason(Pod("chat-0", c.state)) == c.reason);
  }
  json init = Pod("train-0", Waiting("PodInitializing"));
  init["status"]["initContainerStatuses"] = {{{"name", "wait-for-master"}, {"state", Waiting("ImagePullBackOff")}}};
  CHECK(KubeletBackOffReason(init) == "ImagePullBackOff");
  CHECK(KubeletBackOffReason(json::object()).empty());
}

TEST_CASE("only pods of the current template that are not being deleted count") {
  const json workload = Deployment("vllm/vllm-openai:v0.10.2");
  json current = Pod("chat-new", Waiting("CrashLoopBackOff"));
  json stale = Pod("chat-old", Waiting("ImagePullBackOff"), "vllm/vllm-openai:v0.0.0-typo");
  json deleting = Pod("chat-gone", Waiting("CrashLoopBackOff"));
  deleting["metadata"]["deletionTimestamp"] = "2026-11-28T12:00:00Z";
  json healthy = Pod("chat-ok", {{"running", json::object()}});

  CHECK(RunsCurrentTemplate(current, workload));
  CHECK_FALSE(RunsCurrentTemplate(stale, workload));
  json changed_command = current;
  changed_command["spec"]["containers"][0]["command"] = {"python", "-m", "vllm"};
  CHECK_FALSE(RunsCurrentTemplate(changed_command, workload));
  // More memory, the usual fix of an OOM kill, makes a new template too.
  json more_memory = workload;
  more_memory["spec"]["template"]["spec"]["containers"][0]["resources"] = {{"limits", {{"memory", "64Gi"}}}};
  CHECK_FALSE(RunsCurrentTemplate(current, more_memory));
  // So does `kubectl rollout restart` (an annotation); labels and annotations
  // that controllers add to pods do not count.
  json restarted = workload;
  restarted["spec"]["template"]["metadata"]["annotations"] = {
      {"kubectl.kubernetes.io/restartedAt", "2026-11-28T12:00:00Z"}};
  restarted["spec"]["template"]["metadata"]["labels"] = {{"app.kubernetes.io/instance", "chat"}};
  json labelled = current;
  labelled["metadata"]["labels"] = {{"app.kubernetes.io/instance", "chat"}, {"pod-template-hash", "7d9f8"}};
  CHECK_FALSE(RunsCurrentTemplate(labelled, restarted));
  labelled["metadata"]["annotations"] = restarted["spec"]["template"]["metadata"]["annotations"];
  CHECK(RunsCurrentTemplate(labelled, restarted));
  // A sidecar a webhook injected is in no template: it does not make the pod stale.
  json injected = current;
  injected["spec"]["containers"].push_back(Container("istio-proxy", "istio/proxyv2:1.24"));
  CHECK(RunsCurrentTemplate(injected, workload));

  json pods = {{"items", {stale, deleting, healthy, current}}};
  json backed_off = BackedOffPods(pods, workload);
  REQUIRE(backed_off.size() == 1);
  CHECK(backed_off[0]["metadata"]["name"] == "chat-new");
  // Without the workload object every backing-off pod that is not being deleted counts.
  CHECK(BackedOffPods(pods, json()).size() == 2);
}

TEST_CASE("the templates of any workload kind are found, a JobSet's or a LeaderWorkerSet's too") {
  json pod = Pod("big-0", Waiting("CrashLoopBackOff"), "reg/worker:2");
  pod["spec"]["containers"][0]["name"] = "worker";
  json lws = {{"kind", "LeaderWorkerSet"},
              {"spec",
               {{"leaderWorkerTemplate",
                 {{"leaderTemplate", {{"spec", {{"containers", {Container("leader", "reg/leader:2")}}}}}},
                  {"workerTemplate", {{"spec", {{"containers", {Container("worker", "reg/worker:2")}}}}}}}}}}};
  CHECK(RunsCurrentTemplate(pod, lws));
  lws["spec"]["leaderWorkerTemplate"]["workerTemplate"]["spec"]["containers"][0]["image"] = "reg/worker:3";
  CHECK_FALSE(RunsCurrentTemplate(pod, lws));
}

}  // namespace
}  // namespace llm

#include "workload/stall_diagnosis.h"

#include <doctest/doctest.h>

#include "unit/workload/fixture.h"

namespace llm {
namespace {

StallEvidence Scenario(const std::string& name) {
  nlohmann::json s = testing::LoadWorkloadFixture("stall/" + name + ".json");
  StallEvidence e;
  e.pods = s["pods"];
  e.events = s["events"];
  if (s.contains("controller")) e.controller = s["controller"];
  if (s.contains("pvcs")) e.pvcs = s["pvcs"];
  if (s.contains("kueueWorkload")) e.kueue_workload = s["kueueWorkload"];
  return e;
}

nlohmann::json CoreEvent(const std::string& pod, const std::string& reason, const std::string& message,
                         const std::string& last) {
  return {{"involvedObject", {{"kind", "Pod"}, {"name", pod}, {"namespace", "default"}}},
          {"reason", reason},
          {"message", message},
          {"type", "Warning"},
          {"count", 1},
          {"firstTimestamp", last},
          {"lastTimestamp", last}};
}

constexpr const char* kPod = "chat-7d9f8c6b5-x2kq4";

TEST_CASE("each fixture is diagnosed with one exact sentence") {
  struct Case {
    const char* scenario;
    StallCause cause;
    const char* sentence;
  };
  const Case cases[] = {
      {"unschedulable", StallCause::kUnschedulable,
       "pod chat-0 (and 1 more) cannot be scheduled: 0/3 nodes are available: 1 node(s) didn't match Pod's node "
       "affinity/selector, 2 Insufficient nvidia.com/gpu. preemption: 0/3 nodes are available: 1 Preemption is not "
       "helpful for scheduling, 2 No preemption victims found for incoming pod."},
      {"scale-up", StallCause::kWaitingForScaleUp,
       "pod chat-0 (and 1 more) waits for a new node: the cluster-autoscaler is adding one (pod triggered scale-up: "
       "[{eks-gpu-h100-2ac6f0b1-9c1e-4a57-8f0a-3d3b1f9e0c11 2->4 (max: 4)}]); until it joins, the scheduler says: 0/3 "
       "nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 Insufficient nvidia.com/gpu. "
       "preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found "
       "for incoming pod."},
      {"image-pull", StallCause::kImagePullFailure,
       "pod chat-7d9f8c6b5-x2kq4 container vllm cannot pull image \"vllm/vllm-openai:v9.9.9\" (ImagePullBackOff): "
       "Failed to pull image \"vllm/vllm-openai:v9.9.9\": rpc error: code = NotFound desc = failed to pull and unpack "
       "image \"docker.io/vllm/vllm-openai:v9.9.9\": failed to resolve reference "
       "\"docker.io/vllm/vllm-openai:v9.9.9\": "
       "docker.io/vllm/vllm-openai:v9.9.9: not found"},
      {"crashloop", StallCause::kCrashLoop,
       "container vllm of pod chat-7d9f8c6b5-x2kq4 is crash-looping: restarted 5 times, last exit code 1 (Error)"},
      {"oomkilled", StallCause::kOomKilled,
       "container trainer of pod train-node-0-0-5xq9d was OOMKilled (memory limit 64Gi), restarted 2 times"},
      {"pvc-pending", StallCause::kPvcPending,
       "pod chat-0 waits for PersistentVolumeClaim \"chat-model-cache\", which is Pending: ProvisioningFailed: "
       "storageclass.storage.k8s.io \"fast-ssd\" not found"},
      {"probe-failing", StallCause::kProbeFailing,
       "pod chat-7d9f8c6b5-x2kq4 readiness probe is failing (seen 14 times): Get \"http://10.244.11.7:8000/health\": "
       "dial tcp 10.244.11.7:8000: connect: connection refused"},
      {"job-backoff", StallCause::kBackoffLimitExceeded,
       "job \"train\" failed: BackoffLimitExceeded: Job has reached the specified backoff limit; pod train-0-x7k2p "
       "container trainer exited with code 1 (Error)"},
      {"kueue", StallCause::kKueueNotAdmitted,
       "Kueue has not admitted workload job-train-5d1a2 in LocalQueue team-a: couldn't assign flavors to pod set "
       "main: insufficient unused quota for nvidia.com/gpu in flavor h100, 8 more needed"},
      {"progress-deadline", StallCause::kProgressDeadlineExceeded,
       "deployment \"chat\" exceeded its progress deadline: ReplicaSet \"chat-7d9f8c6b5\" has timed out progressing."},
  };
  for (const Case& c : cases) {
    CAPTURE(c.scenario);
    StallDiagnosis d = DiagnoseStall(Scenario(c.scenario));
    CHECK(StallCauseName(d.cause) == StallCauseName(c.cause));
    CHECK(d.sentence == c.sentence);
  }
}

TEST_CASE("unschedulable names the pod, counts the others, and falls back to the scheduler's event") {
  StallEvidence e = Scenario("unschedulable");
  StallDiagnosis d = DiagnoseStall(e);
  CHECK(d.pod == "chat-0");
  CHECK(d.affected_pods == 2);
  // Without the PodScheduled condition (an older status), the FailedScheduling event says the same.
  for (auto& pod : e.pods["items"]) pod["status"].erase("conditions");
  d = DiagnoseStall(e);
  CHECK(d.cause == StallCause::kUnschedulable);
  CHECK(
      d.sentence.starts_with("pod chat-0 (and 1 more) cannot be scheduled: 0/3 nodes are available: 1 node(s) "
                             "didn't match"));
}

// An autoscaler's event about a pod (chat-0 unless named), as its recorder
// writes it (core/v1, source.component and reportingComponent both set).
nlohmann::json AutoscalerEvent(const std::string& component, const std::string& reason, const std::string& message,
                               const std::string& last, const std::string& pod = "chat-0") {
  nlohmann::json event = CoreEvent(pod, reason, message, last);
  event["type"] = reason == "FailedScheduling" ? "Warning" : "Normal";
  event["source"] = {{"component", component}};
  event["reportingComponent"] = component;
  return event;
}

TEST_CASE("an unschedulable pod: the node autoscalers' latest word says whether a node is coming") {
  StallEvidence e = Scenario("unschedulable");
  const std::string scheduler =
      "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 Insufficient nvidia.com/gpu. "
      "preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found "
      "for incoming pod.";
  SUBCASE("the cluster-autoscaler will not add one: its reasons follow the scheduler's") {
    e.events["items"].push_back(AutoscalerEvent("cluster-autoscaler", "NotTriggerScaleUp",
                                                "pod didn't trigger scale-up: 1 max node group size reached, 2 "
                                                "node(s) didn't match Pod's node affinity/selector",
                                                "2026-11-28T12:00:12Z"));
    StallDiagnosis d = DiagnoseStall(e);
    CHECK(d.cause == StallCause::kUnschedulable);
    CHECK(d.sentence == "pod chat-0 (and 1 more) cannot be scheduled: " + scheduler +
                            "; the cluster-autoscaler adds no node (pod didn't trigger scale-up: 1 max node group size "
                            "reached, 2 node(s) didn't match Pod's node affinity/selector)");
  }
  SUBCASE("Karpenter nominated NodeClaims it launches") {
    for (const char* pod : {"chat-0", "chat-0-1"}) {
      e.events["items"].push_back(AutoscalerEvent(
          "karpenter", "Nominated", "Pod should schedule on: nodeclaim/gpu-h100-x8k2p", "2026-11-28T12:00:05Z", pod));
    }
    StallDiagnosis d = DiagnoseStall(e);
    CHECK(d.cause == StallCause::kWaitingForScaleUp);
    CHECK(StallCauseName(d.cause) == "WaitingForScaleUp");
    CHECK(d.pod == "chat-0");
    CHECK(d.affected_pods == 2);
    CHECK(d.sentence ==
          "pod chat-0 (and 1 more) waits for a new node: Karpenter is adding one (Pod should schedule "
          "on: nodeclaim/gpu-h100-x8k2p); until it joins, the scheduler says: " +
              scheduler);
  }
  SUBCASE("a pod that waits for its node is not the story while another cannot be placed at all") {
    e.events["items"].push_back(AutoscalerEvent(
        "karpenter", "Nominated", "Pod should schedule on: nodeclaim/gpu-h100-x8k2p", "2026-11-28T12:00:05Z"));
    StallDiagnosis d = DiagnoseStall(e);
    CHECK(d.cause == StallCause::kUnschedulable);
    CHECK(d.pod == "chat-0-1");
    CHECK(d.affected_pods == 1);
  }
  SUBCASE("Karpenter cannot launch one: its FailedScheduling is not mistaken for the scheduler's") {
    e.events["items"].push_back(AutoscalerEvent(
        "karpenter", "FailedScheduling",
        "Failed to schedule pod, incompatible with nodepool \"gpu-h100\", no instance type satisfied resources "
        "{\"nvidia.com/gpu\":\"16\"}",
        "2026-11-28T12:00:09Z"));
    for (auto& pod : e.pods["items"]) pod["status"].erase("conditions");  // the event is all there is
    StallDiagnosis d = DiagnoseStall(e);
    CHECK(d.cause == StallCause::kUnschedulable);
    CHECK(d.sentence ==
          "pod chat-0 (and 1 more) cannot be scheduled: " + scheduler +
              "; Karpenter adds no node (Failed to schedule pod, incompatible with nodepool \"gpu-h100\", "
              "no instance type satisfied resources {\"nvidia.com/gpu\":\"16\"})");
  }
  SUBCASE("the latest word wins, and a pod nothing will place comes before one that waits") {
    e = Scenario("scale-up");
    e.events["items"].push_back(AutoscalerEvent("cluster-autoscaler", "NotTriggerScaleUp",
                                                "pod didn't trigger scale-up: 1 max node group size reached",
                                                "2026-11-28T12:05:00Z"));
    StallDiagnosis d = DiagnoseStall(e);
    CHECK(d.cause == StallCause::kUnschedulable);  // chat-0: the scale-up was given up; chat-0-1 still waits
    CHECK(d.pod == "chat-0");
    CHECK(d.affected_pods == 1);
    CHECK(
        d.sentence.ends_with("; the cluster-autoscaler adds no node (pod didn't trigger scale-up: 1 max node group "
                             "size reached)"));
  }
  SUBCASE("the same reasons from anyone else are not an autoscaler's") {
    e.events["items"].push_back(CoreEvent("chat-0", "TriggeredScaleUp", "made up", "2026-11-28T12:00:12Z"));
    CHECK(DiagnoseStall(e).cause == StallCause::kUnschedulable);
  }
}

TEST_CASE("image pull without events quotes the kubelet's waiting message") {
  StallEvidence e = Scenario("image-pull");
  e.events = nlohmann::json::array();
  StallDiagnosis d = DiagnoseStall(e);
  CHECK(d.sentence ==
        "pod chat-7d9f8c6b5-x2kq4 container vllm cannot pull image \"vllm/vllm-openai:v9.9.9\" (ImagePullBackOff): "
        "Back-off pulling image \"vllm/vllm-openai:v9.9.9\": ErrImagePull: rpc error: code = NotFound desc = failed "
        "to pull and unpack image \"docker.io/vllm/vllm-openai:v9.9.9\": failed to resolve reference "
        "\"docker.io/vllm/vllm-openai:v9.9.9\": docker.io/vllm/vllm-openai:v9.9.9: not found");
  CHECK(d.container == "vllm");
}

TEST_CASE("a crash loop quotes the last log line and keeps all given lines") {
  StallEvidence e = Scenario("crashloop");
  e.last_log_lines[std::string(kPod) + "/vllm"] = {
      "INFO 11-28 12:04:49 [gpu_model_runner.py:1953] Model loading took 15.2683 GiB and 21.61 seconds",
      "ValueError: To serve at least one request with the models's max seq len (131072), (16.00 GiB KV cache is "
      "needed, which is larger than the available KV cache memory (5.92 GiB).",
      ""};
  StallDiagnosis d = DiagnoseStall(e);
  CHECK(d.cause == StallCause::kCrashLoop);
  CHECK(d.sentence ==
        "container vllm of pod chat-7d9f8c6b5-x2kq4 is crash-looping: restarted 5 times, last exit code 1 (Error); "
        "last log line: \"ValueError: To serve at least one request with the models's max seq len (131072), (16.00 "
        "GiB KV cache is needed, which is larger than the available KV cache memory (5.92 GiB).\"");
  CHECK(d.log_lines.size() == 3);
}

TEST_CASE("a crash whose log shows Hugging Face refusing a gated model") {
  StallEvidence e = Scenario("crashloop");
  e.last_log_lines[std::string(kPod) + "/vllm"] = {
      "huggingface_hub.errors.GatedRepoError: 401 Client Error. (Request ID: Root=1-6748a1b2-0c1d2e3f4a5b6c7d8e9f0a1b;"
      "5f2c9d1e-7a3b-4c8d-9e0f-1a2b3c4d5e6f)",
      "",
      "Cannot access gated repo for url "
      "https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct/resolve/main/config.json.",
      "Access to model meta-llama/Llama-3.1-8B-Instruct is restricted. You must have access to it and be authenticated "
      "to access it. Please log in."};
  StallDiagnosis d = DiagnoseStall(e);
  CHECK(StallCauseName(d.cause) == "HuggingFaceAccessDenied");
  CHECK(d.sentence ==
        "container vllm of pod chat-7d9f8c6b5-x2kq4 cannot download its model from Hugging Face (restarted 5 times): "
        "\"Access to model meta-llama/Llama-3.1-8B-Instruct is restricted. You must have access to it and be "
        "authenticated to access it. Please log in.\"; check that the token Secret (--hf-token-secret) holds a token "
        "with access to the model");
  CHECK(d.log_lines.size() == 4);

  // A 401 for another host is not Hugging Face's refusal.
  e.last_log_lines[std::string(kPod) + "/vllm"] = {
      "requests.exceptions.HTTPError: 401 Client Error: Unauthorized for url: "
      "https://registry.internal/v2/"};
  CHECK(DiagnoseStall(e).cause == StallCause::kCrashLoop);
}

TEST_CASE("a container restarted by its liveness probe is a probe failure, not a crash") {
  StallEvidence e = Scenario("crashloop");
  e.events["items"].push_back(CoreEvent(
      kPod, "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 503", "2026-11-28T12:04:40Z"));
  e.events["items"].push_back(
      CoreEvent(kPod, "Killing", "Container vllm failed liveness probe, will be restarted", "2026-11-28T12:04:41Z"));
  StallDiagnosis d = DiagnoseStall(e);
  CHECK(d.cause == StallCause::kProbeFailing);
  CHECK(d.sentence ==
        "container vllm of pod chat-7d9f8c6b5-x2kq4 is restarted by its failing liveness probe (restarted 5 times): "
        "HTTP probe failed with statuscode: 503");
}

TEST_CASE("PVC: WaitForFirstConsumer is not the cause, a missing claim is") {
  StallEvidence e = Scenario("pvc-pending");
  for (auto& event : e.events["items"]) {
    if (event["involvedObject"]["kind"] == "PersistentVolumeClaim") {
      event["reason"] = "WaitForFirstConsumer";
      event["type"] = "Normal";
      event["message"] = "waiting for first consumer to be created before binding";
    }
  }
  StallDiagnosis d = DiagnoseStall(e);
  CHECK(d.cause == StallCause::kUnschedulable);

  e = Scenario("pvc-pending");
  e.pvcs = nlohmann::json::array();
  auto& condition = e.pods["items"][0]["status"]["conditions"][0];
  condition["message"] =
      "0/3 nodes are available: persistentvolumeclaim \"chat-model-cache\" not found. preemption: 0/3 nodes are "
      "available: 3 Preemption is not helpful for scheduling.";
  d = DiagnoseStall(e);
  CHECK(d.cause == StallCause::kPvcPending);
  CHECK(d.sentence == "pod chat-0 needs PersistentVolumeClaim \"chat-model-cache\", which does not exist");

  // Not listed to us and the scheduler did not say "not found": no claim verdict.
  e = Scenario("pvc-pending");
  e.pvcs = nlohmann::json::array();
  CHECK(DiagnoseStall(e).cause == StallCause::kUnschedulable);
}

TEST_CASE("old Unhealthy events of a Ready pod are no stall") {
  StallEvidence e = Scenario("probe-failing");
  for (auto& condition : e.pods["items"][0]["status"]["conditions"]) {
    if (condition["type"] == "Ready" || condition["type"] == "ContainersReady") condition["status"] = "True";
  }
  StallDiagnosis d = DiagnoseStall(e);
  CHECK(d.cause == StallCause::kNone);
  CHECK(d.sentence.empty());
}

TEST_CASE("rules are tried in order of decisiveness") {
  SUBCASE("a pod-level cause beats the Deployment's progress deadline") {
    StallEvidence e = Scenario("image-pull");
    e.controller = Scenario("progress-deadline").controller;
    CHECK(DiagnoseStall(e).cause == StallCause::kImagePullFailure);
  }
  SUBCASE("an image that cannot be pulled beats another pod's crash loop") {
    StallEvidence e = Scenario("crashloop");
    nlohmann::json pulling = Scenario("image-pull").pods["items"][0];
    pulling["metadata"]["name"] = "chat-7d9f8c6b5-zzzzz";
    e.pods["items"].push_back(pulling);
    StallDiagnosis d = DiagnoseStall(e);
    CHECK(d.cause == StallCause::kImagePullFailure);
    CHECK(d.pod == "chat-7d9f8c6b5-zzzzz");
  }
  SUBCASE("a failed Job is final even while its pods show other causes") {
    StallEvidence e = Scenario("job-backoff");
    e.pods["items"].push_back(Scenario("unschedulable").pods["items"][0]);
    CHECK(DiagnoseStall(e).cause == StallCause::kBackoffLimitExceeded);
  }
  SUBCASE("a Kueue admission beats everything but a final failure") {
    StallEvidence e = Scenario("kueue");
    e.pods = Scenario("unschedulable").pods;
    CHECK(DiagnoseStall(e).cause == StallCause::kKueueNotAdmitted);
  }
  SUBCASE("an admitted Workload is no cause") {
    StallEvidence e = Scenario("kueue");
    e.kueue_workload->at("status")["conditions"] = {{{"type", "Admitted"}, {"status", "True"}}};
    e.controller.reset();
    CHECK(DiagnoseStall(e).cause == StallCause::kNone);
  }
}

TEST_CASE("a JobSet that ran out of restarts is final too") {
  StallEvidence e = Scenario("oomkilled");
  e.controller = nlohmann::json{
      {"apiVersion", "jobset.x-k8s.io/v1alpha2"},
      {"kind", "JobSet"},
      {"metadata", {{"name", "train"}, {"namespace", "default"}}},
      {"status",
       {{"conditions",
         {{{"type", "Failed"},
           {"status", "True"},
           {"reason", "ReachedMaxRestarts"},
           {"message", "jobset failed due to reaching max number of restarts (first failed job: train-node-0)"}}}},
        {"restarts", 2}}}};
  StallDiagnosis d = DiagnoseStall(e);
  CHECK(d.cause == StallCause::kBackoffLimitExceeded);
  CHECK(d.sentence ==
        "jobset \"train\" failed: ReachedMaxRestarts: jobset failed due to reaching max number of restarts (first "
        "failed job: train-node-0); pod train-node-0-0-5xq9d container trainer exited with code 137 (OOMKilled)");
}

TEST_CASE("cause names are stable") {
  CHECK(StallCauseName(StallCause::kNone) == "None");
  CHECK(StallCauseName(StallCause::kPvcPending) == "PVCPending");
  CHECK(StallCauseName(StallCause::kOomKilled) == "OOMKilled");
}

}  // namespace
}  // namespace llm

namespace llm {
namespace {

TEST_CASE("pods refused at admission: a used-up ResourceQuota is named with its numbers") {
  StallEvidence e;
  e.controller =
      nlohmann::json::parse(R"({"kind": "Deployment", "metadata": {"name": "chat"}, "status": {"conditions": [
    {"type": "Available", "status": "False"},
    {"type": "ReplicaFailure", "status": "True", "reason": "FailedCreate",
     "message": "pods \"chat-5d8f9-x2kq4\" is forbidden: exceeded quota: kubectl-llm-tenant, requested: requests.nvidia.com/gpu=8, used: requests.nvidia.com/gpu=16, limited: requests.nvidia.com/gpu=16"}]}})");
  StallDiagnosis d = DiagnoseStall(e);
  CHECK(d.cause == StallCause::kPodsRefused);
  CHECK(StallCauseName(d.cause) == "PodsRefused");
  CHECK(d.sentence ==
        "its pods are refused: ResourceQuota \"kubectl-llm-tenant\" is used up (requested requests.nvidia.com/gpu=8, "
        "used requests.nvidia.com/gpu=16, limited requests.nvidia.com/gpu=16)");
}

TEST_CASE("pods refused at admission: a Job's FailedCreate event is quoted") {
  StallEvidence e;
  e.controller = nlohmann::json::parse(R"({"kind": "Job", "metadata": {"name": "t"}, "status": {}})");
  e.events = nlohmann::json::array({CoreEvent("t", "FailedCreate",
                                              "Error creating: pods \"t-0-abcde\" is forbidden: maximum nvidia.com/gpu "
                                              "usage per Container is 8, but limit is 16",
                                              "2026-01-01T00:00:00Z")});
  e.events[0]["involvedObject"]["kind"] = "Job";
  StallDiagnosis d = DiagnoseStall(e);
  CHECK(d.cause == StallCause::kPodsRefused);
  CHECK(d.sentence ==
        "its pods are refused: pods \"t-0-abcde\" is forbidden: maximum nvidia.com/gpu usage per "
        "Container is 8, but limit is 16");
}

}  // namespace
}  // namespace llm

namespace llm {
namespace {

// The unschedulable fixture's pods as the API server shows them while they
// carry scheduling gates: PodScheduled False with reason SchedulingGated
// (pkg/registry/core/pod/strategy.go), no scheduler event.
StallEvidence Gated(const std::vector<std::string>& gates) {
  StallEvidence e = Scenario("unschedulable");
  e.events = nlohmann::json::array();
  for (auto& pod : e.pods["items"]) {
    pod["spec"]["schedulingGates"] = nlohmann::json::array();
    for (const std::string& gate : gates) pod["spec"]["schedulingGates"].push_back({{"name", gate}});
    pod["status"]["conditions"] = {{{"type", "PodScheduled"},
                                    {"status", "False"},
                                    {"reason", "SchedulingGated"},
                                    {"message", "Scheduling is blocked due to non-empty scheduling gates"}}};
  }
  return e;
}

TEST_CASE("pods held by scheduling gates: the gates are named, not 'no pod shows why'") {
  StallDiagnosis d = DiagnoseStall(Gated({"kueue.x-k8s.io/topology"}));
  CHECK(d.cause == StallCause::kSchedulingGated);
  CHECK(d.affected_pods == 2);
  CHECK(d.sentence ==
        "pod chat-0 (and 1 more) is held back from the scheduler by scheduling gate kueue.x-k8s.io/topology: it is "
        "not placed until whatever added it removes it");
  CHECK(DiagnoseStall(Gated({"example.com/a", "example.com/b"})).sentence ==
        "pod chat-0 (and 1 more) is held back from the scheduler by scheduling gates example.com/a, example.com/b: "
        "it is not placed until whatever added them removes them");
  CHECK(StallCauseName(d.cause) == "SchedulingGated");
}

TEST_CASE("scheduling gates: once removed, the scheduler's own verdict is the cause again") {
  StallEvidence e = Gated({"kueue.x-k8s.io/topology"});
  // A gate on a pod that already has a node (gates only hold unscheduled pods) says nothing.
  for (auto& pod : e.pods["items"]) pod["spec"]["nodeName"] = "gpu-node-0";
  CHECK(DiagnoseStall(e).cause == StallCause::kNone);
  CHECK(DiagnoseStall(Scenario("unschedulable")).cause == StallCause::kUnschedulable);
  // A gated pod is not yet the scheduler's: an old Unschedulable event about it is not the cause.
  StallEvidence gated_with_event = Gated({"kueue.x-k8s.io/topology"});
  gated_with_event.events = Scenario("unschedulable").events;
  CHECK(DiagnoseStall(gated_with_event).cause == StallCause::kSchedulingGated);
}

}  // namespace
}  // namespace llm

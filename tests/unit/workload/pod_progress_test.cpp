#include "workload/pod_progress.h"

#include <doctest/doctest.h>

#include "unit/workload/fixture.h"

namespace llm {
namespace {

TEST_CASE("each pod of the fixture reaches its stage and its line") {
  const nlohmann::json pods = testing::LoadWorkloadFixture("progress-pods.json");
  const nlohmann::json events = testing::LoadWorkloadFixture("progress-events.json");
  struct Case {
    PodStage stage;
    const char* line;
  };
  const Case want[] = {
      {PodStage::kPending, "pod chat-0 (leader): Pending"},
      {PodStage::kScheduled, "pod chat-0-1 (worker): Scheduled on gpu-node-2"},
      {PodStage::kPulling, "pod chat-1 (leader): Pulling image \"vllm/vllm-openai:v0.10.2\""},
      {PodStage::kRunning, "pod chat-1-1 (worker): Running on gpu-node-3"},
      {PodStage::kReady, "pod chat-small-6b8c9d7f5-h7j2k: Ready"},
      {PodStage::kFailed, "pod train-node-0-0-5xq9d (node rank=0): Failed: Error (exit code 1)"},
      {PodStage::kSucceeded, "pod finetune-1-p9q2w (rank=1): Succeeded"},
  };
  REQUIRE(pods["items"].size() == std::size(want));
  for (size_t i = 0; i < std::size(want); ++i) {
    PodProgress p = ComputePodProgress(pods["items"][i], events);
    CAPTURE(p.pod);
    CHECK(PodStageName(p.stage) == PodStageName(want[i].stage));
    CHECK(DescribePodProgress(p) == want[i].line);
  }
}

TEST_CASE("Pulling from ContainerCreating alone, and a Pulled event ends Pulling") {
  nlohmann::json pods = testing::LoadWorkloadFixture("progress-pods.json");
  PodProgress p = ComputePodProgress(pods["items"][2], nlohmann::json::array());
  CHECK(p.stage == PodStage::kPulling);
  CHECK(DescribePodProgress(p) == "pod chat-1 (leader): Creating containers on gpu-node-1");

  // Scheduled, no container status yet, but the kubelet already pulls.
  nlohmann::json pod = pods["items"][1];
  nlohmann::json events = {{"items",
                            {{{"involvedObject", {{"kind", "Pod"}, {"name", "chat-0-1"}}},
                              {"reason", "Pulling"},
                              {"message", "Pulling image \"vllm/vllm-openai:v0.10.2\""},
                              {"lastTimestamp", "2026-11-28T12:00:03Z"}}}}};
  CHECK(ComputePodProgress(pod, events).stage == PodStage::kPulling);
  events["items"].push_back({{"involvedObject", {{"kind", "Pod"}, {"name", "chat-0-1"}}},
                             {"reason", "Pulled"},
                             {"message", "Successfully pulled image"},
                             {"lastTimestamp", "2026-11-28T12:01:03Z"}});
  CHECK(ComputePodProgress(pod, events).stage == PodStage::kScheduled);
}

TEST_CASE("a failed pod without container detail reports the pod's reason") {
  nlohmann::json pod = {
      {"metadata", {{"name", "chat-0"}}},
      {"status", {{"phase", "Failed"}, {"reason", "Evicted"}, {"message", "The node was low on resource: memory."}}}};
  CHECK(DescribePodProgress(ComputePodProgress(pod, nlohmann::json::array())) ==
        "pod chat-0: Failed: Evicted: The node was low on resource: memory.");
}

TEST_CASE("a container waiting for a reason other than its creation shows that reason, with its restarts") {
  auto pod = [](const char* phase, const char* reason, int restarts, bool init = false) {
    nlohmann::json status = {{"name", "c"}, {"restartCount", restarts}, {"state", {{"waiting", {{"reason", reason}}}}}};
    nlohmann::json p = {
        {"metadata", {{"name", "chat-0"}}}, {"spec", {{"nodeName", "gpu-node-0"}}}, {"status", {{"phase", phase}}}};
    if (init) {
      p["status"]["initContainerStatuses"] = nlohmann::json::array({status});
      p["status"]["containerStatuses"] = {
          {{"name", "main"}, {"state", {{"waiting", {{"reason", "PodInitializing"}}}}}}};
    } else {
      p["status"]["containerStatuses"] = nlohmann::json::array({status});
    }
    return DescribePodProgress(ComputePodProgress(p, nlohmann::json::array()));
  };
  CHECK(pod("Running", "CrashLoopBackOff", 3) == "pod chat-0: Running on gpu-node-0: CrashLoopBackOff (3 restarts)");
  CHECK(pod("Running", "CrashLoopBackOff", 1) == "pod chat-0: Running on gpu-node-0: CrashLoopBackOff (1 restart)");
  CHECK(pod("Pending", "ImagePullBackOff", 0) == "pod chat-0: Scheduled on gpu-node-0: ImagePullBackOff");
  // A failed pull in an init container is no longer "creating containers".
  CHECK(pod("Pending", "ErrImagePull", 0, true) == "pod chat-0: Scheduled on gpu-node-0: ErrImagePull");
  CHECK(pod("Pending", "ContainerCreating", 0) == "pod chat-0: Creating containers on gpu-node-0");
}

}  // namespace
}  // namespace llm

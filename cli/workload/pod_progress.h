// Where a pod is on its way to Ready, for the live display of serve/train:
// Pending -> Scheduled -> Pulling -> Running -> Ready, or Succeeded/Failed.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace llm {

enum class PodStage { kPending, kScheduled, kPulling, kRunning, kReady, kSucceeded, kFailed };

/// "Pending", "Scheduled", "Pulling", "Running", "Ready", "Succeeded", "Failed".
std::string_view PodStageName(PodStage stage);

struct PodProgress {
  std::string pod;   ///< metadata.name
  std::string role;  ///< IdentifyPod's role ("leader", "rank=3", "")
  PodStage stage = PodStage::kPending;
  std::string node;    ///< spec.nodeName once scheduled
  std::string detail;  ///< the image being pulled, why it failed, or why its container waits; may be empty

  bool operator==(const PodProgress&) const = default;
};

/// The pod's stage from its status, and from `events` (EventList or array;
/// only those about this pod are read) for the image being pulled.
/// Pulling: scheduled and a container waits in ContainerCreating or
/// PodInitializing, or a Pulling event is newer than any Pulled one.
PodProgress ComputePodProgress(const nlohmann::json& pod, const nlohmann::json& events);

/// One line for CI logs: "pod chat-0 (leader): Scheduled on gpu-node-1",
/// "pod chat-0: Running on gpu-node-1: CrashLoopBackOff (3 restarts)",
/// "pod chat-0: Scheduled on gpu-node-1: ImagePullBackOff",
/// "pod chat-0 (leader): Pulling image \"vllm/vllm-openai:v0.10.2\"" (or "Creating
/// containers on gpu-node-1" when no Pulling event names the image),
/// "pod chat-7d9f8-x2kq4: Ready", "pod train-0-abcde (rank=0): Failed: Error (exit code 1)".
std::string DescribePodProgress(const PodProgress& progress);

}  // namespace llm

#include "workload/pod_progress.h"

#include <fmt/format.h>

#include "kube/object_fields.h"
#include "workload/log_prefix.h"
#include "workload/object_events.h"

namespace llm {

std::string_view PodStageName(PodStage stage) {
  switch (stage) {
    case PodStage::kPending:
      return "Pending";
    case PodStage::kScheduled:
      return "Scheduled";
    case PodStage::kPulling:
      return "Pulling";
    case PodStage::kRunning:
      return "Running";
    case PodStage::kReady:
      return "Ready";
    case PodStage::kSucceeded:
      return "Succeeded";
    case PodStage::kFailed:
      return "Failed";
  }
  return "Pending";
}

namespace {

// Why a Failed pod failed: the first container that terminated non-zero, else
// the pod's own reason (Evicted, DeadlineExceeded ...).
std::string FailureDetail(const nlohmann::json& pod) {
  for (const char* field : {"initContainerStatuses", "containerStatuses"}) {
    const nlohmann::json* list = FindPath(pod, {"status", field});
    if (list == nullptr || !list->is_array()) continue;
    for (const nlohmann::json& status : *list) {
      const nlohmann::json* terminated = FindPath(status, {"state", "terminated"});
      if (terminated != nullptr && IntAt(*terminated, {"exitCode"}) != 0) {
        return fmt::format("{} (exit code {})", StringAt(*terminated, {"reason"}, "Error"),
                           IntAt(*terminated, {"exitCode"}));
      }
    }
  }
  std::string reason = StringAt(pod, {"status", "reason"});
  std::string message = StringAt(pod, {"status", "message"});
  if (!reason.empty() && !message.empty()) return reason + ": " + message;
  return reason.empty() ? message : reason;
}

bool WaitsToCreate(const nlohmann::json& pod) {
  for (const char* field : {"initContainerStatuses", "containerStatuses"}) {
    const nlohmann::json* list = FindPath(pod, {"status", field});
    if (list == nullptr || !list->is_array()) continue;
    for (const nlohmann::json& status : *list) {
      std::string reason = StringAt(status, {"state", "waiting", "reason"});
      if (reason == "ContainerCreating" || reason == "PodInitializing") return true;
    }
  }
  return false;
}

/// Why a started pod's container is not running as it should: the reason it
/// waits with (CrashLoopBackOff, ImagePullBackOff, ...), and its restarts.
std::string ContainerTrouble(const nlohmann::json& pod) {
  for (const char* field : {"initContainerStatuses", "containerStatuses"}) {
    const nlohmann::json* list = FindPath(pod, {"status", field});
    if (list == nullptr || !list->is_array()) continue;
    for (const nlohmann::json& status : *list) {
      std::string reason = StringAt(status, {"state", "waiting", "reason"});
      if (reason.empty() || reason == "ContainerCreating" || reason == "PodInitializing") continue;
      int64_t restarts = IntAt(status, {"restartCount"});
      if (restarts > 0) reason += fmt::format(" ({} restart{})", restarts, restarts == 1 ? "" : "s");
      return reason;
    }
  }
  return "";
}

}  // namespace

PodProgress ComputePodProgress(const nlohmann::json& pod, const nlohmann::json& events) {
  PodProgress p;
  p.pod = StringAt(pod, {"metadata", "name"});
  p.role = IdentifyPod(pod).role;
  p.node = StringAt(pod, {"spec", "nodeName"});
  std::string phase = StringAt(pod, {"status", "phase"});
  if (phase == "Succeeded") {
    p.stage = PodStage::kSucceeded;
    return p;
  }
  if (phase == "Failed") {
    p.stage = PodStage::kFailed;
    p.detail = FailureDetail(pod);
    return p;
  }
  const nlohmann::json* ready = FindCondition(pod, "Ready");
  if (ready != nullptr && StringAt(*ready, {"status"}) == "True") {
    p.stage = PodStage::kReady;
    return p;
  }
  if (phase == "Running") {
    p.stage = PodStage::kRunning;
    p.detail = ContainerTrouble(pod);
    return p;
  }
  if (p.node.empty()) {
    p.stage = PodStage::kPending;
    return p;
  }
  p.stage = PodStage::kScheduled;
  // The newest pull event tells whether an image is still coming.
  std::vector<ObjectEvent> pod_events = EventsAbout(events, "Pod", p.pod);
  const ObjectEvent* last_pull = nullptr;
  for (const ObjectEvent& e : pod_events) {
    if (e.reason == "Pulling" || e.reason == "Pulled") last_pull = &e;
  }
  bool pulling = last_pull != nullptr && last_pull->reason == "Pulling";
  p.detail = ContainerTrouble(pod);  // a failed pull is no longer pulling
  if (p.detail.empty() && (pulling || WaitsToCreate(pod))) {
    p.stage = PodStage::kPulling;
    // kubelet: `Pulling image "vllm/vllm-openai:v0.10.2"`
    constexpr std::string_view kPrefix = "Pulling image ";
    if (pulling && last_pull->message.starts_with(kPrefix)) p.detail = last_pull->message.substr(kPrefix.size());
  }
  return p;
}

std::string DescribePodProgress(const PodProgress& progress) {
  std::string subject = progress.role.empty() ? fmt::format("pod {}", progress.pod)
                                              : fmt::format("pod {} ({})", progress.pod, progress.role);
  std::string what;
  switch (progress.stage) {
    case PodStage::kScheduled:
    case PodStage::kRunning:
      what = fmt::format("{} on {}", PodStageName(progress.stage), progress.node);
      if (!progress.detail.empty()) what += ": " + progress.detail;
      break;
    case PodStage::kPulling:
      // ContainerCreating alone may also be volumes being mounted: say no more than that.
      what = progress.detail.empty() ? "Creating containers on " + progress.node : "Pulling image " + progress.detail;
      break;
    case PodStage::kFailed:
      what = progress.detail.empty() ? "Failed" : "Failed: " + progress.detail;
      break;
    default:
      what = std::string(PodStageName(progress.stage));
      break;
  }
  return subject + ": " + what;
}

}  // namespace llm

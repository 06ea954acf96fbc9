#include "node_validation/pod_reading.h"

#include <fmt/format.h>

#include "kube/object_fields.h"
#include "node_validation/check_result.h"

namespace llm {
namespace {

constexpr const char* kCheckContainer = "gpu-check";

/// The self-test's container status: the one named gpu-check, else the first.
const nlohmann::json* CheckContainerStatus(const nlohmann::json& pod) {
  const nlohmann::json& statuses = ArrayAt(pod, {"status", "containerStatuses"});
  if (statuses.empty()) return nullptr;
  for (const auto& cs : statuses) {
    if (StringAt(cs, {"name"}) == kCheckContainer) return &cs;
  }
  return &statuses.front();
}

/// state.running / waiting / terminated of a container status, when it is an object.
const nlohmann::json* StateOf(const nlohmann::json* container_status, const char* which) {
  if (container_status == nullptr) return nullptr;
  const nlohmann::json* state = FindPath(*container_status, {"state", which});
  return state != nullptr && state->is_object() ? state : nullptr;
}

/// "REASON: message", or whichever of the two exists.
std::string ReasonAndMessage(const nlohmann::json& obj) {
  const std::string reason = StringAt(obj, {"reason"});
  const std::string message = StringAt(obj, {"message"});
  if (reason.empty()) return message;
  if (message.empty()) return reason;
  return fmt::format("{}: {}", reason, message);
}

bool IsImagePullFailure(const std::string& reason) {
  return reason == "ErrImagePull" || reason == "ImagePullBackOff" || reason == "InvalidImageName" ||
         reason == "ErrImageNeverPull";
}

bool IsContainerStartFailure(const std::string& reason) {
  return reason == "CreateContainerConfigError" || reason == "CreateContainerError" || reason == "RunContainerError";
}

/// PodScheduled=False/Unschedulable, with the scheduler's message.
std::optional<std::string> UnschedulableMessage(const nlohmann::json& pod) {
  for (const auto& c : ArrayAt(pod, {"status", "conditions"})) {
    if (StringAt(c, {"type"}) == "PodScheduled" && StringAt(c, {"status"}) == "False" &&
        StringAt(c, {"reason"}) == "Unschedulable") {
      return StringAt(c, {"message"});
    }
  }
  return std::nullopt;
}

bool IsScheduled(const nlohmann::json& pod) {
  if (!StringAt(pod, {"spec", "nodeName"}).empty()) return true;
  for (const auto& c : ArrayAt(pod, {"status", "conditions"})) {
    if (StringAt(c, {"type"}) == "PodScheduled" && StringAt(c, {"status"}) == "True") return true;
  }
  return false;
}

}  // namespace

PodReading ReadGpuCheckPod(const nlohmann::json& pod) {
  PodReading r;
  const nlohmann::json* container = CheckContainerStatus(pod);
  const std::string phase = StringAt(pod, {"status", "phase"});
  r.terminal_phase = phase == "Succeeded" || phase == "Failed";
  r.node = StringAt(pod, {"spec", "nodeName"});
  using State = PodReading::State;
  if (const nlohmann::json* terminated = StateOf(container, "terminated")) {
    r.state = State::kEnded;
    r.outcome = ReadCheckResult(*terminated);
    r.from_container = true;
    return r;
  }
  if (r.terminal_phase) {
    const nlohmann::json* status = FindPath(pod, {"status"});
    const std::string why = status != nullptr ? ReasonAndMessage(*status) : "";
    r.state = State::kEnded;
    r.outcome.verdict = Verdict::kError;
    r.outcome.reason = phase == "Failed" ? (why.empty() ? "pod failed" : "pod failed: " + why)
                                         : "pod ended without a result (no container status)";
    return r;
  }
  if (const nlohmann::json* waiting = StateOf(container, "waiting")) {
    const std::string reason = StringAt(*waiting, {"reason"});
    if (IsImagePullFailure(reason)) {
      r.state = State::kStuck;
      r.reason = "image could not be pulled: " + ReasonAndMessage(*waiting);
      return r;
    }
    if (IsContainerStartFailure(reason)) {
      r.state = State::kStuck;
      r.reason = "container could not start: " + ReasonAndMessage(*waiting);
      return r;
    }
  }
  if (std::optional<std::string> message = UnschedulableMessage(pod)) {
    r.state = State::kUnschedulable;
    r.reason = *message;
    return r;
  }
  if (const nlohmann::json* running = StateOf(container, "running")) {
    r.state = State::kRunning;
    if (const std::string started = StringAt(*running, {"startedAt"}); !started.empty()) {
      r.started_at = ParseRfc3339(started);
    }
    return r;
  }
  r.state = IsScheduled(pod) ? State::kScheduled : State::kPending;
  return r;
}

void KeepRunPodFields(nlohmann::json& pod) {
  KeepOnlyPaths(pod, {{"metadata"}, {"spec", "nodeName"}, {"status"}});
  if (auto metadata = pod.find("metadata"); metadata != pod.end() && metadata->is_object()) {
    metadata->erase("managedFields");
  }
}

}  // namespace llm

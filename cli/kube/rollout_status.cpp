#include "kube/rollout_status.h"

#include <cstdint>
#include <optional>

#include <fmt/format.h>

#include "kube/rest_mapper.h"

namespace llm::kube {
namespace {
using nlohmann::json;

int64_t Int(const json& object, const char* pointer, int64_t fallback = 0) {
  const json::json_pointer at(pointer);
  if (!object.contains(at) || !object.at(at).is_number_integer()) return fallback;
  return object.at(at).get<int64_t>();
}

std::optional<int64_t> OptionalInt(const json& object, const char* pointer) {
  const json::json_pointer at(pointer);
  if (!object.contains(at) || !object.at(at).is_number_integer()) return std::nullopt;
  return object.at(at).get<int64_t>();
}

std::string String(const json& object, const char* pointer) {
  const json::json_pointer at(pointer);
  if (!object.contains(at) || !object.at(at).is_string()) return "";
  return object.at(at).get<std::string>();
}

// A condition with status True that is not stale.
const json* TrueCondition(const json& object, const std::string& type) {
  const json* condition = FindCondition(object, type);
  if (condition == nullptr || condition->value("status", "") != "True") return nullptr;
  return ConditionIsCurrent(object, *condition) ? condition : nullptr;
}

std::string Explain(const json& condition) {
  std::string reason = condition.value("reason", "");
  std::string message = condition.value("message", "");
  if (reason.empty()) return message;
  return message.empty() ? reason : reason + ": " + message;
}

WaitCheck Deployment(const json& object, const std::string& name) {
  if (Int(object, "/metadata/generation") > Int(object, "/status/observedGeneration")) {
    return {WaitState::kPending, "Waiting for deployment spec update to be observed..."};
  }
  if (const json* progressing = FindCondition(object, "Progressing");
      progressing != nullptr && progressing->value("reason", "") == "ProgressDeadlineExceeded") {
    return {WaitState::kFailed, fmt::format("deployment \"{}\" exceeded its progress deadline", name)};
  }
  const auto replicas = OptionalInt(object, "/spec/replicas");
  const int64_t updated = Int(object, "/status/updatedReplicas");
  if (replicas && updated < *replicas) {
    return {WaitState::kPending,
            fmt::format("Waiting for deployment \"{}\" rollout to finish: {} out of {} new replicas have been "
                        "updated...",
                        name, updated, *replicas)};
  }
  const int64_t total = Int(object, "/status/replicas");
  if (total > updated) {
    return {WaitState::kPending,
            fmt::format("Waiting for deployment \"{}\" rollout to finish: {} old replicas are pending "
                        "termination...",
                        name, total - updated)};
  }
  const int64_t available = Int(object, "/status/availableReplicas");
  if (available < updated) {
    return {WaitState::kPending,
            fmt::format("Waiting for deployment \"{}\" rollout to finish: {} of {} updated replicas are "
                        "available...",
                        name, available, updated)};
  }
  return {WaitState::kDone, fmt::format("deployment \"{}\" successfully rolled out", name)};
}

WaitCheck StatefulSet(const json& object) {
  const std::string strategy = String(object, "/spec/updateStrategy/type");
  if (!strategy.empty() && strategy != "RollingUpdate") {
    return {WaitState::kFailed, "rollout status is only available for RollingUpdate strategy type"};
  }
  const int64_t observed = Int(object, "/status/observedGeneration");
  if (observed == 0 || Int(object, "/metadata/generation") > observed) {
    return {WaitState::kPending, "Waiting for statefulset spec update to be observed..."};
  }
  const auto replicas = OptionalInt(object, "/spec/replicas");
  const int64_t ready = Int(object, "/status/readyReplicas");
  if (replicas && ready < *replicas) {
    return {WaitState::kPending, fmt::format("Waiting for {} pods to be ready...", *replicas - ready)};
  }
  const auto partition = OptionalInt(object, "/spec/updateStrategy/rollingUpdate/partition");
  const json::json_pointer rolling("/spec/updateStrategy/rollingUpdate");
  if (strategy == "RollingUpdate" && object.contains(rolling) && object.at(rolling).is_object()) {
    const int64_t updated = Int(object, "/status/updatedReplicas");
    if (replicas && partition && updated < *replicas - *partition) {
      return {WaitState::kPending,
              fmt::format("Waiting for partitioned roll out to finish: {} out of {} new pods have been updated...",
                          updated, *replicas - *partition)};
    }
    return {WaitState::kDone, fmt::format("partitioned roll out complete: {} new pods have been updated...", updated)};
  }
  const std::string update_revision = String(object, "/status/updateRevision");
  if (update_revision != String(object, "/status/currentRevision")) {
    return {WaitState::kPending,
            fmt::format("waiting for statefulset rolling update to complete {} pods at revision {}...",
                        Int(object, "/status/updatedReplicas"), update_revision)};
  }
  return {WaitState::kDone,
          fmt::format("statefulset rolling update complete {} pods at revision {}...",
                      Int(object, "/status/currentReplicas"), String(object, "/status/currentRevision"))};
}

WaitCheck DaemonSet(const json& object, const std::string& name) {
  const std::string strategy = String(object, "/spec/updateStrategy/type");
  if (!strategy.empty() && strategy != "RollingUpdate") {
    return {WaitState::kFailed, "rollout status is only available for RollingUpdate strategy type"};
  }
  if (Int(object, "/metadata/generation") > Int(object, "/status/observedGeneration")) {
    return {WaitState::kPending, "Waiting for daemon set spec update to be observed..."};
  }
  const int64_t desired = Int(object, "/status/desiredNumberScheduled");
  const int64_t updated = Int(object, "/status/updatedNumberScheduled");
  if (updated < desired) {
    return {WaitState::kPending, fmt::format("Waiting for daemon set \"{}\" rollout to finish: {} out of {} new pods "
                                             "have been updated...",
                                             name, updated, desired)};
  }
  const int64_t available = Int(object, "/status/numberAvailable");
  if (available < desired) {
    return {WaitState::kPending, fmt::format("Waiting for daemon set \"{}\" rollout to finish: {} of {} updated pods "
                                             "are available...",
                                             name, available, desired)};
  }
  return {WaitState::kDone, fmt::format("daemon set \"{}\" successfully rolled out", name)};
}

// Jobs and JobSets roll out by finishing: one condition means success, another failure.
WaitCheck Terminal(const json& object, const std::string& noun, const std::string& name, const char* success,
                   const char* failure) {
  if (const json* failed = TrueCondition(object, failure)) {
    return {WaitState::kFailed, fmt::format("{} \"{}\" failed: {}", noun, name, Explain(*failed))};
  }
  if (TrueCondition(object, success) != nullptr) {
    return {WaitState::kDone, fmt::format("{} \"{}\" completed", noun, name)};
  }
  return {WaitState::kPending, fmt::format("Waiting for {} \"{}\" to complete...", noun, name)};
}

WaitCheck LeaderWorkerSet(const json& object, const std::string& name) {
  if (TrueCondition(object, "Available") != nullptr) {
    return {WaitState::kDone, fmt::format("leaderworkerset \"{}\" successfully rolled out", name)};
  }
  return {WaitState::kPending,
          fmt::format("Waiting for leaderworkerset \"{}\" rollout to finish: {} of {} groups are ready...", name,
                      Int(object, "/status/readyReplicas"), Int(object, "/spec/replicas", 1))};
}
}  // namespace

WaitCheck RolloutStatus(const json& object) {
  const GroupKind group_kind = GroupKindOf(object.value("apiVersion", ""), object.value("kind", ""));
  const std::string name = String(object, "/metadata/name");
  if (group_kind == GroupKind{"apps", "Deployment"}) return Deployment(object, name);
  if (group_kind == GroupKind{"apps", "StatefulSet"}) return StatefulSet(object);
  if (group_kind == GroupKind{"apps", "DaemonSet"}) return DaemonSet(object, name);
  if (group_kind == GroupKind{"batch", "Job"}) return Terminal(object, "job", name, "Complete", "Failed");
  if (group_kind == GroupKind{"jobset.x-k8s.io", "JobSet"}) {
    return Terminal(object, "jobset", name, "Completed", "Failed");
  }
  if (group_kind == GroupKind{"leaderworkerset.x-k8s.io", "LeaderWorkerSet"}) return LeaderWorkerSet(object, name);
  return {WaitState::kFailed,
          fmt::format("no rollout status for {}: supported are Deployment, StatefulSet, DaemonSet, Job, JobSet and "
                      "LeaderWorkerSet",
                      group_kind.ToString())};
}

WaitPredicate RolledOut() {
  return [](const json* object) -> WaitCheck {
    if (object == nullptr) return {WaitState::kPending, "waiting for the object to exist"};
    return RolloutStatus(*object);
  };
}

}  // namespace llm::kube

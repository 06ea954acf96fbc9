// Wait predicates: what "done" means for one object, evaluated on every state
// the watcher reports (kubectl wait's --for=condition, --for=jsonpath,
// --for=delete, and rollout status). They are pure functions of the object.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace llm::kube {

enum class WaitState {
  kPending,  ///< not yet; keep watching
  kDone,     ///< the condition holds
  kFailed,   ///< it can no longer hold (Job Failed, progress deadline exceeded)
};

struct WaitCheck {
  WaitState state = WaitState::kPending;
  std::string message;  ///< kubectl's progress or failure text, without a trailing newline
};

/// `object` is null while the object does not exist (not created yet, or deleted).
using WaitPredicate = std::function<WaitCheck(const nlohmann::json* object)>;

/// The object's condition `type` has `status` (compared case-insensitively, as
/// kubectl does). A condition whose observedGeneration (or the object's
/// status.observedGeneration) is below metadata.generation is stale and does not count.
WaitPredicate ConditionIs(std::string type, std::string status = "True");

/// The value at a JSONPath-like field path ("{.status.phase}", ".status.readyReplicas",
/// "{.metadata.labels.app\.kubernetes\.io/name}", ".status.conditions[0].type")
/// equals `value`, or merely exists when `value` is empty. Non-scalar values fail,
/// as in kubectl.
WaitPredicate FieldIs(std::string path, std::optional<std::string> value);

/// The object is gone, or was replaced by a new one (its uid differs from `uid`, when given).
WaitPredicate IsDeleted(std::string uid = "");

/// One condition of the object's status.conditions, or nullptr.
const nlohmann::json* FindCondition(const nlohmann::json& object, const std::string& type);

/// Whether a condition is current: its observedGeneration, or else the object's
/// status.observedGeneration, is not below metadata.generation.
bool ConditionIsCurrent(const nlohmann::json& object, const nlohmann::json& condition);

}  // namespace llm::kube

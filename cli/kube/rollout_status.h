// Rollout status: whether a workload has finished rolling out, decided the way
// kubectl decides it (pkg/polymorphichelpers/rollout_status.go for Deployment,
// StatefulSet and DaemonSet) and, for batch and LLM workloads, by their
// terminal conditions: Job Complete/Failed, JobSet Completed/Failed,
// LeaderWorkerSet Available. Messages are kubectl's.
#pragma once

#include <nlohmann/json.hpp>

#include "kube/wait_condition.h"

namespace llm::kube {

/// Evaluates one object; the kind (and group) comes from the object itself.
/// Kinds without a rule give kFailed naming the supported kinds.
WaitCheck RolloutStatus(const nlohmann::json& object);

/// RolloutStatus as a wait predicate; a missing object is pending (it may be
/// about to be created by the apply that precedes the wait).
WaitPredicate RolledOut();

}  // namespace llm::kube

// kubernetes.io/change-cause on the workload objects, as `kubectl --record`
// set it, so plain `kubectl rollout history` names the command behind each
// rollout. It is added at apply time only, never recorded in a revision's
// objects: a rollback to revision N applies N's objects with its own cause,
// and N's digest still matches.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace llm {

inline constexpr char kChangeCauseAnnotation[] = "kubernetes.io/change-cause";

/// The kinds that run a workload (and whose rollouts or runs --wait follows):
/// Deployment, StatefulSet, LeaderWorkerSet, JobSet, Job, in the order --wait looks for them.
bool IsWorkloadKind(const std::string& kind);

/// `objects` with the annotation set to `cause` on each IsWorkloadKind object.
std::vector<nlohmann::json> WithChangeCause(std::vector<nlohmann::json> objects, const std::string& cause);

}  // namespace llm

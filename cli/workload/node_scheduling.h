// The parts of the scheduler's node filtering that decide whether a GPU pod
// may land on a node at all: cordon, taints vs tolerations, node labels.
// Mirrors k8s.io/api/core/v1 Toleration.ToleratesTaint.
#pragma once

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace llm {

/// Whether one toleration tolerates one taint: effects equal (an empty
/// toleration effect matches all), keys equal (an empty key with Exists matches
/// all), and for operator Equal (the default) values equal.
bool ToleratesTaint(const nlohmann::json& toleration, const nlohmann::json& taint);

/// The first NoSchedule/NoExecute taint of `node` that no toleration tolerates
/// (PreferNoSchedule never blocks), as kubectl describe writes it
/// ("key=value:Effect", "key:Effect"); nullopt when the node admits the pod.
std::optional<std::string> UntoleratedTaint(const nlohmann::json& node, const nlohmann::json& tolerations);

/// "key=value:Effect", or "key:Effect" when the value is empty.
std::string FormatTaint(const nlohmann::json& taint);

/// The first `key=value` of `labels` the node lacks; nullopt when all match.
std::optional<std::string> MissingNodeLabel(const nlohmann::json& node,
                                            const std::map<std::string, std::string>& labels);

/// spec.unschedulable (kubectl cordon).
bool IsCordoned(const nlohmann::json& node);

}  // namespace llm

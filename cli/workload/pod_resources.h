// The amount of a countable resource (nvidia.com/gpu) a pod occupies on its
// node, computed the way the scheduler does (resourcehelper.PodRequests), so
// our arithmetic about free GPUs agrees with the scheduler's.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "kube/well_known_names.h"

namespace llm {

/// A container's request for `resource`: requests[resource], else limits[resource]
/// (for extended resources requests default to limits), else 0.
int64_t ContainerRequest(const nlohmann::json& container, std::string_view resource);

/// What a pod with this spec occupies: max(sum of app containers + restartable
/// init containers (sidecars), each regular init container + the sidecars
/// started before it) + spec.overhead. Accepts a PodSpec.
int64_t PodSpecRequest(const nlohmann::json& pod_spec, std::string_view resource = kGpuResource);

/// status.allocatable[nvidia.com/gpu] of a node; 0 when absent or not a count.
int64_t AllocatableGpus(const nlohmann::json& node);

/// True for pods that no longer hold resources (phase Succeeded or Failed).
bool IsTerminalPod(const nlohmann::json& pod);

/// GPUs held per node name: PodSpecRequest summed over the non-terminal pods
/// bound to it (spec.nodeName). Accepts a PodList or an array of Pods.
std::map<std::string, int64_t> RequestsByNode(const nlohmann::json& pods, std::string_view resource = kGpuResource);

}  // namespace llm

// Reading the few fields validate-nodes needs from Kubernetes objects as the
// API server returns them (nlohmann::json), tolerating absent fields.
#pragma once

#include <initializer_list>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "workload/object_fields.h"
#include "workload/pod_resources.h"

namespace llm {

inline constexpr const char* kGpuResource = "nvidia.com/gpu";
/// Set by NVIDIA GPU feature discovery ("NVIDIA-H100-80GB-HBM3").
inline constexpr const char* kGpuProductLabel = "nvidia.com/gpu.product";
/// The well-known zone label; the HTML report groups the fleet by it.
inline constexpr const char* kZoneLabel = "topology.kubernetes.io/zone";

/// Tolerant access: objects from a watch or a fake may be oddly shaped, and a
/// wrong type must never throw. At() is the member when `object` is an object
/// holding `key`, else null; Str/Int/Bool give a fallback for the wrong type;
/// Arr() is the value when it is an array, else an empty array.
const nlohmann::json& At(const nlohmann::json& object, const char* key);
const nlohmann::json& At(const nlohmann::json& object, std::initializer_list<const char*> path);
std::string Str(const nlohmann::json& value, std::string fallback = "");
long long Int(const nlohmann::json& value, long long fallback);
bool Bool(const nlohmann::json& value);
const nlohmann::json& Arr(const nlohmann::json& value);

std::string NameOf(const nlohmann::json& object);
std::string NamespaceOf(const nlohmann::json& object);
std::map<std::string, std::string> LabelsOf(const nlohmann::json& object);
std::string AnnotationOf(const nlohmann::json& object, const std::string& key);

/// status.allocatable["nvidia.com/gpu"] of a node; 0 when absent or not an integer.
long long AllocatableGpus(const nlohmann::json& node);

/// GPUs a pod asks for: the larger of the sum over containers and the largest
/// init container (how the scheduler counts), requests or, when absent,
/// limits (extended resources default their request to the limit).
long long RequestedGpus(const nlohmann::json& pod);

// IsTerminalPod and ItemsOf come from workload/ (one definition each: two
// would clash when a binary links both libraries' objects).

}  // namespace llm

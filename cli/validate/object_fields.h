// Reading the few fields validate-nodes needs from Kubernetes objects as the
// API server returns them (nlohmann::json), tolerating absent fields.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace llm {

inline constexpr const char* kGpuResource = "nvidia.com/gpu";
/// Set by NVIDIA GPU feature discovery ("NVIDIA-H100-80GB-HBM3").
inline constexpr const char* kGpuProductLabel = "nvidia.com/gpu.product";

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

/// Succeeded or Failed: the pod holds no resources any more.
bool IsTerminalPod(const nlohmann::json& pod);

/// The items of a List object, or the array itself.
const nlohmann::json& ItemsOf(const nlohmann::json& list);

}  // namespace llm

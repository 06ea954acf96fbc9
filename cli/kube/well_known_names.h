// Names other programs define that the plugin reads or writes: the NVIDIA
// device plugin's resource, GPU feature discovery's labels, Kubernetes' own
// well-known labels. One home each, so a rename is one line.
#pragma once

#include <string_view>

namespace llm {

/// The NVIDIA device plugin's extended resource.
inline constexpr std::string_view kGpuResource = "nvidia.com/gpu";
/// Set by NVIDIA GPU feature discovery ("NVIDIA-H100-80GB-HBM3").
inline constexpr std::string_view kGpuProductLabel = "nvidia.com/gpu.product";
/// Set by GPU feature discovery: one GPU's memory in MiB ("81559").
inline constexpr std::string_view kGpuMemoryLabel = "nvidia.com/gpu.memory";
/// Kubernetes' well-known zone label.
inline constexpr std::string_view kZoneLabel = "topology.kubernetes.io/zone";

}  // namespace llm

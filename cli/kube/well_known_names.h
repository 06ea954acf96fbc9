// Names the plugin reads or writes on objects: the NVIDIA device plugin's
// resource, GPU feature discovery's labels, Kubernetes' own well-known and
// recommended labels, and the plugin's own labels that other commands read
// back. One home each, so a rename is one line.
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

// Kubernetes' recommended labels, as the plugin sets them on what it renders.
/// The engine or framework: "vllm", "torchrun".
inline constexpr std::string_view kNameLabel = "app.kubernetes.io/name";
/// The workload's NAME, on every object rendered for it.
inline constexpr std::string_view kInstanceLabel = "app.kubernetes.io/instance";
/// What the object is for: "serve", "train", "gpu-check", "tenancy".
inline constexpr std::string_view kComponentLabel = "app.kubernetes.io/component";
inline constexpr std::string_view kManagedByLabel = "app.kubernetes.io/managed-by";
/// This tool's value of kManagedByLabel.
inline constexpr std::string_view kManagedByValue = "kubectl-llm";

/// The plugin's own: the model a served workload runs (Hugging Face id).
inline constexpr std::string_view kModelAnnotation = "kubectl-llm.dev/model";
/// The plugin's own: an elastic training job's node bounds, "MIN:MAX" (train
/// --nodes MIN:MAX), which `scale --nodes` and `status` read back.
inline constexpr std::string_view kElasticNodesAnnotation = "kubectl-llm.dev/elastic-nodes";
/// The plugin's own, on each trial of a sweep (`kubectl llm sweep`), its job
/// and its pods: the sweep's name and the trial's number (1, 2, ...), so a
/// sweep's state is rebuilt from the cluster alone.
inline constexpr std::string_view kSweepLabel = "kubectl-llm.dev/sweep";
inline constexpr std::string_view kTrialLabel = "kubectl-llm.dev/trial";
/// On a trial's job: its parameters as a JSON object in --param order, and
/// the objective (the metric's name, and "min" or "max").
inline constexpr std::string_view kTrialParamsAnnotation = "kubectl-llm.dev/trial-params";
inline constexpr std::string_view kSweepMetricAnnotation = "kubectl-llm.dev/sweep-metric";
inline constexpr std::string_view kSweepModeAnnotation = "kubectl-llm.dev/sweep-mode";
/// Kueue's: the job may change size while admitted (workload slices; Kueue's
/// ElasticJobsViaWorkloadSlices feature gate). Also the scheduling gate
/// Kueue's webhook puts on such a Job's pods when the gate is on.
inline constexpr std::string_view kKueueElasticJobAnnotation = "kueue.x-k8s.io/elastic-job";

}  // namespace llm

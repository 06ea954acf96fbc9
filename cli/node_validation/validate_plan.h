// The glue between the checked flags and the pieces of validate-nodes, so the
// command itself only does I/O: what to ask SelectNodes, how to configure
// ValidationRun, what to render for each pod, and what to record.
#pragma once

#include <string>
#include <vector>

#include "node_validation/node_patch.h"
#include "node_validation/node_selection.h"
#include "node_validation/pair_run.h"
#include "node_validation/validate_options.h"
#include "node_validation/validation_run.h"

namespace llm {

/// The kubelet stops the pod (activeDeadlineSeconds) this long after --timeout,
/// so validate-nodes, not the kubelet, reports the timeout and deletes the pod.
inline constexpr Seconds kActiveDeadlineMargin{60};

/// What the renderer needs for one node's gpu-check pod (templates/gpu-check):
/// its values "node", "gpus", "profile", "image", "activeDeadline", "tolerations".
struct GpuCheckPodRequest {
  std::string name;    ///< from CreatePod
  std::string node;    ///< spec.nodeName
  long long gpus = 0;  ///< all allocatable GPUs of the node
  std::string profile;
  std::string image;  ///< "" = the renderer's default
  long long active_deadline_seconds = 0;
  /// "key=value:effect": the pod tolerates the taint --taint-failed sets, so a
  /// failed node can be re-tested and, passing, untainted.
  std::vector<std::string> tolerations;
};

/// The multi-node test of one pair (templates/gpu-check/nccl-*.yaml): the
/// renderer's values "ncclNodes", "gpus", "profile", "image", "activeDeadline",
/// "tolerations".
struct GpuCheckPairRequest {
  std::string name;                ///< the Job and its headless Service (PairAction::job)
  std::vector<std::string> nodes;  ///< one pod on each
  long long gpus = 0;              ///< per pod: the smaller GPU count of the two, so both ranks match
  std::string profile;
  std::string image;
  long long active_deadline_seconds = 0;
  std::vector<std::string> tolerations;
};

NodeSelectionRequest SelectionRequestFor(const ValidateNodesConfig& config);

/// `run_id`: a short random DNS-label string, unique per invocation.
ValidationRunConfig RunConfigFor(const ValidateNodesConfig& config, std::string run_id);

GpuCheckPodRequest PodRequestFor(const ValidateNodesConfig& config, const NodeCandidate& node, std::string pod_name);

PairRunConfig PairRunConfigFor(const ValidateNodesConfig& config, std::string run_id);

GpuCheckPairRequest PairRequestFor(const ValidateNodesConfig& config, const NodeCandidate& first,
                                   const NodeCandidate& second, std::string job);

RecordSettings RecordSettingsFor(const ValidateNodesConfig& config, std::string tool_version, std::string image);

}  // namespace llm

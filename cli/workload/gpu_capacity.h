// Preflight fit: before anything is applied, does a workload's GPU request fit
// the cluster's GPU nodes, now or ever? The answer is one of three verdicts and
// one sentence of why, with the numbers a user needs to act on it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace llm {

struct GpuFitRequest {
  int64_t gpus_per_pod = 0;
  int64_t pods = 1;
  std::map<std::string, std::string> node_selector;
  nlohmann::json tolerations = nlohmann::json::array();
  /// Required node affinity terms of the form `key In [value]` (e.g. the
  /// validation label kubectl-llm.dev/gpu-check=pass).
  std::map<std::string, std::string> required_node_labels;
};

enum class GpuFitVerdict {
  kFitsNow,            ///< enough free GPUs on matching nodes right now
  kFitsClusterNotNow,  ///< would fit on empty matching nodes; GPUs are busy now (warning)
  kNeverFits,          ///< no matching node set can ever hold it (error)
};

/// "FitsNow", "FitsClusterNotNow", "NeverFits": stable words for -o json and logs.
std::string_view GpuFitVerdictName(GpuFitVerdict verdict);

struct GpuFit {
  GpuFitVerdict verdict = GpuFitVerdict::kNeverFits;
  std::string reason;          ///< one sentence, no trailing period
  int matching_nodes = 0;      ///< schedulable nodes that match selector, affinity and taints
  int64_t matching_gpus = 0;   ///< allocatable GPUs on them
  int64_t used_gpus = 0;       ///< GPUs requested by running pods on them
  int64_t pods_fit_empty = 0;  ///< pods of this size the matching nodes hold when empty
  int64_t pods_fit_now = 0;    ///< pods of this size their free GPUs hold now
  /// For kNeverFits: pods the matching nodes cannot hold even when empty, i.e.
  /// what a node autoscaler would have to add room for (all of them when no
  /// node matches or none is large enough); 0 otherwise.
  int64_t pods_short = 0;
  std::vector<std::string> matching_node_names;  ///< the matching nodes, in the order given
};

/// The nvidia.com/gpu.product the request asks for (node selector, else a
/// required `In [value]` affinity), or "" when any product will do.
std::string WantedGpuProduct(const GpuFitRequest& request);

/// `nodes`: a NodeList (or array); `pods`: all pods of the cluster (PodList or
/// array), whose non-terminal requests count as used. When re-applying an
/// existing workload, leave its own pods out: their GPUs are the ones it reuses. Nodes are filtered like
/// the scheduler does, in its order: cordoned, untolerated NoSchedule/NoExecute
/// taint, node selector / required labels, no allocatable GPUs; each excluded
/// node is counted under the first reason that applies, per taint and per label.
GpuFit CheckGpuFit(const nlohmann::json& nodes, const nlohmann::json& pods, const GpuFitRequest& request);

}  // namespace llm

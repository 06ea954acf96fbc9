// GpuCheckConfig: `gpu-check`'s values after every check, with defaults
// applied. The view (gpu_check_view.cpp) only lays it out; all decisions are
// made here.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "render/workload.h"
#include "render/workload_common.h"

namespace llm {

struct GpuCheckConfig {
  WorkloadMeta meta;
  /// Two or more distinct nodes: the multi-node NCCL test (an Indexed Job and
  /// its headless Service). Empty: the single-node pod.
  std::vector<std::string> nccl_nodes;
  std::optional<std::string> node;  ///< spec.nodeName of the single-node pod
  int gpus = 8;
  std::string profile;            ///< "quick" or "full"
  long long active_deadline = 0;  ///< seconds; the profile's when not given
  std::string image;
  std::string cpu;
  std::string memory;
  std::string shm_size;
  /// The multi-node pods go through the scheduler, so their tolerations
  /// start with one for every NoSchedule taint (see BuildGpuCheckConfig).
  PodScheduling scheduling;
  /// Pod 0's DNS name, NCCL's bootstrap root (multi-node only): it follows the
  /// Indexed Job's pod naming, the same rule that bounds NAME's length.
  std::string rank0_host;

  bool multi_node() const { return !nccl_nodes.empty(); }
};

Result<GpuCheckConfig> BuildGpuCheckConfig(const WorkloadRequest& request);
RenderPlan GpuCheckView(const GpuCheckConfig& config);

}  // namespace llm

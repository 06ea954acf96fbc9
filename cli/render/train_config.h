// TrainConfig: `train`'s values after every check, with defaults applied. The
// view (train_view.cpp) only lays it out; all decisions are made here.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "render/backend.h"
#include "render/workload.h"
#include "render/workload_common.h"

namespace llm {

struct TrainConfig {
  WorkloadMeta meta;
  Backend backend = Backend::kJobSet;  ///< kJobSet or kIndexedJob
  int nodes = 1;
  int gpus_per_node = 1;  ///< torchrun processes per node
  int master_port = 29500;
  int max_restarts = 0;
  std::optional<long long> ttl_after_finished;  ///< seconds
  std::optional<long long> active_deadline;     ///< seconds
  /// Pod 0's DNS name, the rendezvous host: it follows the backend's pod
  /// naming, the same rule that bounds NAME's length.
  std::string master_addr;
  std::string image;
  std::vector<std::string> command;
  std::optional<std::string> exclusive_topology;  ///< node label key (JobSet only)
  std::optional<std::string> queue;
  std::optional<VolumeClaimMount> data;                  ///< mounted read-only
  std::optional<VolumeClaimMount> checkpoint;            ///< never at data's mount path
  std::vector<std::pair<std::string, std::string>> env;  ///< the user's; the torchrun names refused
  std::optional<std::string> cpu;
  std::optional<std::string> memory;
  std::string shm_size;
  PodScheduling scheduling;
};

Result<TrainConfig> BuildTrainConfig(const WorkloadRequest& request);
RenderPlan TrainView(const TrainConfig& config);

}  // namespace llm

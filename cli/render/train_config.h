// TrainConfig: `train`'s values after every check, with defaults applied. The
// view (train_view.cpp) only lays it out; all decisions are made here.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "render/backend.h"
#include "render/sweep_trial.h"
#include "render/workload.h"
#include "render/workload_common.h"
#include "workload/elastic_training.h"

namespace llm {

struct TrainConfig {
  WorkloadMeta meta;
  Backend backend = Backend::kJobSet;  ///< kJobSet or kIndexedJob
  int nodes = 1;                       ///< elastic: the count it starts at (WorkloadRequest::start_nodes, else MAX)
  int gpus_per_node = 1;               ///< torchrun processes per node
  int master_port = 29500;             ///< static: MASTER_PORT; elastic: the c10d store's port on index 0
  /// Static: restarts of the whole group (Job backoffLimit, JobSet
  /// failurePolicy), default 0. Elastic: torchrun's --max-restarts, default 3,
  /// and as many pod replacements.
  int max_restarts = 0;
  /// --nodes MIN:MAX: torchrun's elastic c10d rendezvous, hosted by index 0
  /// (which a scale never removes), and `--rdzv-conf` timeouts in seconds.
  std::optional<NodeRange> elastic;
  long long rdzv_timeout = 900;
  long long rdzv_last_call_timeout = 120;
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
  std::vector<std::pair<std::string, std::string>> env;  ///< the user's; the torchrun names of both modes refused
  std::optional<std::string> cpu;
  std::optional<std::string> memory;
  std::string shm_size;
  PodScheduling scheduling;
  /// One trial of a sweep: labels, annotations and the metric wrapper.
  std::optional<SweepTrial> trial;
};

Result<TrainConfig> BuildTrainConfig(const WorkloadRequest& request);
RenderPlan TrainView(const TrainConfig& config);

}  // namespace llm

// MultiNodeConfig: where this process sits in a multi-node nccl run. Rank and
// world come from the Indexed Job (JOB_COMPLETION_INDEX) and a flag or
// variable; the NCCL bootstrap root is NCCL_COMM_ID, which names pod 0 through
// the headless Service, so no MPI, no ssh and no id exchange are needed.
#pragma once

#include <optional>
#include <string>

#include "env_lookup.h"
#include "status.h"

namespace llm::gpu_check {

/// Variable read when --world-size is not given.
inline constexpr const char* kWorldSizeEnv = "LLM_GPU_CHECK_WORLD_SIZE";

struct MultiNodeConfig {
  int world_size = 1;   ///< nodes (processes); each drives all its local GPUs
  int rank = 0;         ///< this node's index, 0..world_size-1
  std::string comm_id;  ///< NCCL_COMM_ID "host:port", "" when single-node
};

/// Flags win over the environment. Errors: a world size or rank that is not a
/// non-negative integer is a usage error (64); a multi-node run without
/// NCCL_COMM_ID, or with a rank outside the world, is a configuration error (3).
Result<MultiNodeConfig> ResolveMultiNode(std::optional<int> world_size_flag, std::optional<int> rank_flag,
                                         const EnvLookup& env);

}  // namespace llm::gpu_check

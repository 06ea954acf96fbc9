// Environment lint: pod-configuration faults that make GPU measurements
// meaningless or make NCCL jobs fail, told apart from hardware faults
// (they earn exit 3, not "bad node").
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "report.h"

namespace llm::gpu_check {

struct EnvironmentFacts {
  std::optional<std::uint64_t> dev_shm_bytes;   ///< nullopt: /dev/shm is not mounted
  std::optional<std::uint64_t> memlock_bytes;   ///< nullopt: unlimited
  std::map<std::string, std::string> nccl_env;  ///< NCCL_* variables
};

/// Reads /dev/shm (statvfs), RLIMIT_MEMLOCK and the NCCL_* variables.
EnvironmentFacts ProbeEnvironment();

/// /dev/shm below this is blocking on a multi-GPU or multi-node run (NCCL's
/// shared-memory transport fails on Docker's 64 MiB default, nccl#525).
inline constexpr std::uint64_t kMinDevShmBytes = 256ULL << 20;
/// Below this a warning recommends an emptyDir with medium Memory.
inline constexpr std::uint64_t kRecommendedDevShmBytes = 1ULL << 30;

/// Findings, in a fixed order: dev_shm, memlock, then NCCL variables.
std::vector<LintFinding> LintEnvironment(const EnvironmentFacts& facts, int gpu_count, int world_size);

}  // namespace llm::gpu_check

// Profile: sizes, repetitions and deadlines of a run. `quick` fits in under
// 60 s on an 8-GPU node (the budget below adds up to about 45 s of
// measurement); `full` measures longer and sweeps more NCCL sizes.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "check_catalog.h"
#include "status.h"

namespace llm::gpu_check {

struct Profile {
  std::string name;
  std::uint64_t hbm_bytes = 0;            ///< per GPU, per buffer (source and destination)
  std::uint64_t pcie_bytes = 0;           ///< pinned host buffer per GPU
  std::uint64_t p2p_bytes = 0;            ///< per pair
  std::vector<std::uint64_t> nccl_bytes;  ///< sweep; the last (largest) size is judged
  int warmup = 0;                         ///< untimed iterations before each sample
  int iterations = 0;                     ///< copies (or collectives) per timed sample
  int samples = 0;                        ///< timed samples per series
  int nccl_samples = 0;                   ///< repeats of each NCCL size
  int max_retries = 2;                    ///< re-measurements of a failing series before it counts
  /// Seconds per check, this profile's column of the catalog (CheckSpec::deadline).
  std::map<CheckId, double> phase_deadline_s;
  double nccl_init_deadline_s = 0;
  /// The health check's own load window: HBM copies and host-to-device copies
  /// on every GPU at once while NVML is sampled (links train down when idle).
  double health_load_s = 0;

  double PhaseDeadline(CheckId id) const { return phase_deadline_s.at(id); }
  /// Every check's deadline added up: the longest a run of all checks may take.
  double WorstCaseSeconds() const;
};

/// "quick" or "full"; anything else is a usage error naming both.
Result<Profile> GetProfile(std::string_view name);

}  // namespace llm::gpu_check

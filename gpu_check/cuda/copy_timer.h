// CopyTimer: measures the bandwidth of copies that run at the same time on
// several streams (one GPU alone, or all at once), with CUDA events around
// `iterations` copies queued behind a spin latch (nvbandwidth's method).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include <cuda_runtime.h>

#include "cuda_wait.h"
#include "device_resources.h"
#include "status.h"

namespace llm::gpu_check {

/// One stream's part of a timed sample.
struct TimedCopy {
  int device = 0;
  cudaStream_t stream = nullptr;
  std::function<cudaError_t(cudaStream_t)> enqueue;  ///< queues one copy
  std::uint64_t bytes_per_copy = 0;                  ///< bytes that one copy counts for
};

class CopyTimer {
 public:
  /// Allocates the latch flag (pinned, mapped into every GPU).
  static Result<CopyTimer> Create();

  /// Queues `warmup` untimed copies, then holds every stream on the latch,
  /// queues start event, `iterations` copies and stop event on each, releases
  /// them together and returns GB/s per copy (in the order given).
  Result<std::vector<double>> Measure(const std::vector<TimedCopy>& copies, int warmup, int iterations,
                                      Deadline deadline);

 private:
  PinnedBuffer flag_;  // [0]: release, [1]: latch timed out
};

}  // namespace llm::gpu_check

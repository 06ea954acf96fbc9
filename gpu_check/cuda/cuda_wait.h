// Waiting without hanging: completion is polled (cudaEventQuery /
// cudaStreamQuery) against a deadline instead of a blocking synchronize, so a
// wedged GPU turns into a timeout (exit 4) rather than a pod that never ends.
#pragma once

#include <chrono>
#include <vector>

#include <cuda_runtime.h>

#include "status.h"

namespace llm::gpu_check {

using Deadline = std::chrono::steady_clock::time_point;

/// Waits until every event has completed; Failure(kTimeout) past the deadline.
Status WaitForEvents(const std::vector<cudaEvent_t>& events, Deadline deadline, const char* what);

/// Waits until every stream is idle; Failure(kTimeout) past the deadline.
Status WaitForStreams(const std::vector<cudaStream_t>& streams, Deadline deadline, const char* what);

}  // namespace llm::gpu_check

// Exact all-reduce verification. Every rank contributes small integers held
// exactly in float, (rank + 1) * (i % 7 + 1), so the sum over n ranks,
// (i % 7 + 1) * n(n+1)/2, is exact while it stays below 2^24 (n <= 2000).
#pragma once

#include <cstddef>

#include <cuda_runtime.h>

namespace llm::gpu_check {

cudaError_t LaunchFillAllReduceInput(float* data, std::size_t count, int rank, cudaStream_t stream);

/// Adds to *wrong (device memory) the elements that differ from the exact sum over `ranks`.
cudaError_t LaunchCountAllReduceErrors(const float* data, std::size_t count, int ranks, unsigned long long* wrong,
                                       cudaStream_t stream);

}  // namespace llm::gpu_check

// The HBM copy kernel's launcher: a grid-stride 16-byte copy that reads and
// writes device memory at close to its peak rate.
#pragma once

#include <cstddef>

#include <cuda_runtime.h>

namespace llm::gpu_check {

/// Copies `bytes` (a multiple of 16; buffers 16-byte aligned, as cudaMalloc
/// returns) from src to dst on `stream`, with enough blocks to fill `sm_count` SMs.
cudaError_t LaunchCopyKernel(void* dst, const void* src, std::size_t bytes, int sm_count, cudaStream_t stream);

}  // namespace llm::gpu_check

// The HBM copy kernel's launcher: a grid-stride 16-byte copy that reads and
// writes device memory at close to its peak rate.
#pragma once

#include <cstddef>

#include <cuda_runtime.h>

namespace llm::gpu_check {

/// Grid shape of the copy kernel. The defaults are what the hbm check uses,
/// chosen on an H200 with tools/hbm_copy_sweep.cu (gpu_check/README.md,
/// "Calibration"): many short-lived blocks of 1024 threads beat fewer
/// long-running ones by 3-5%, reaching 96-99% of cudaMemcpy's device copy.
struct CopyLaunch {
  int blocks_per_sm = 32;
  int threads = 1024;
  int unroll = 1;  ///< 16-byte loads each thread issues before its stores: 1, 2 or 4
};

/// Copies `bytes` (a multiple of 16; buffers 16-byte aligned, as cudaMalloc
/// returns) from src to dst on `stream`, with enough blocks to fill `sm_count` SMs.
cudaError_t LaunchCopyKernel(void* dst, const void* src, std::size_t bytes, int sm_count, cudaStream_t stream,
                             CopyLaunch launch = {});

}  // namespace llm::gpu_check

// CUDA_CHECK / NCCL_CHECK: turn a failed runtime call into a Failure that is
// returned (never exit), carrying the call, its error text and the exit code
// it earns: 5 for runtime errors, 3 for missing devices or a driver too old,
// 2 for uncorrectable ECC errors (the data was corrupted).
#pragma once

#include <cuda_runtime.h>
#include <nccl.h>

#include "status.h"

namespace llm::gpu_check {

Failure CudaFailure(cudaError_t error, const char* call, const char* file, int line);
Failure NcclFailure(ncclResult_t result, const char* call, const char* file, int line);

}  // namespace llm::gpu_check

/// Evaluates a CUDA runtime call; on error returns its Failure from the enclosing function.
#define CUDA_CHECK(call)                                                             \
  do {                                                                               \
    const cudaError_t gc_cuda_err_ = (call);                                         \
    if (gc_cuda_err_ != cudaSuccess) {                                               \
      return ::llm::gpu_check::CudaFailure(gc_cuda_err_, #call, __FILE__, __LINE__); \
    }                                                                                \
  } while (false)

/// Evaluates an NCCL call; ncclInProgress (non-blocking communicators) is not an error.
#define NCCL_CHECK(call)                                                             \
  do {                                                                               \
    const ncclResult_t gc_nccl_res_ = (call);                                        \
    if (gc_nccl_res_ != ncclSuccess && gc_nccl_res_ != ncclInProgress) {             \
      return ::llm::gpu_check::NcclFailure(gc_nccl_res_, #call, __FILE__, __LINE__); \
    }                                                                                \
  } while (false)

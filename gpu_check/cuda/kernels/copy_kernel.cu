#include "kernels/copy_kernel.cuh"

namespace llm::gpu_check {
namespace {

/// Each thread loads kUnroll elements a grid stride apart before storing
/// them, so several loads are in flight per thread; the tail goes one by one.
template <int kUnroll>
__global__ void CopyKernel(uint4* __restrict__ dst, const uint4* __restrict__ src, std::size_t count) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  for (; i + (kUnroll - 1) * stride < count; i += kUnroll * stride) {
    uint4 v[kUnroll];
#pragma unroll
    for (int k = 0; k < kUnroll; ++k) v[k] = src[i + k * stride];
#pragma unroll
    for (int k = 0; k < kUnroll; ++k) dst[i + k * stride] = v[k];
  }
  for (; i < count; i += stride) dst[i] = src[i];
}

}  // namespace

cudaError_t LaunchCopyKernel(void* dst, const void* src, std::size_t bytes, int sm_count, cudaStream_t stream,
                             CopyLaunch launch) {
  const int blocks = (sm_count > 0 ? sm_count : 1) * launch.blocks_per_sm;
  auto* d = static_cast<uint4*>(dst);
  const auto* s = static_cast<const uint4*>(src);
  const std::size_t count = bytes / sizeof(uint4);
  switch (launch.unroll) {
    case 2:
      CopyKernel<2><<<blocks, launch.threads, 0, stream>>>(d, s, count);
      break;
    case 4:
      CopyKernel<4><<<blocks, launch.threads, 0, stream>>>(d, s, count);
      break;
    default:
      CopyKernel<1><<<blocks, launch.threads, 0, stream>>>(d, s, count);
      break;
  }
  return cudaGetLastError();
}

}  // namespace llm::gpu_check

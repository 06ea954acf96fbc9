#include "kernels/all_reduce_check.cuh"

namespace llm::gpu_check {
namespace {

constexpr int kThreads = 256;
constexpr int kBlocks = 2048;

__global__ void FillKernel(float* data, std::size_t count, int rank) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  for (std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < count; i += stride) {
    data[i] = static_cast<float>((rank + 1) * static_cast<int>(i % 7 + 1));
  }
}

__global__ void CheckKernel(const float* data, std::size_t count, int ranks, unsigned long long* wrong) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  const long long triangle = static_cast<long long>(ranks) * (ranks + 1) / 2;
  unsigned long long local = 0;
  for (std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < count; i += stride) {
    const float expected = static_cast<float>(triangle * static_cast<long long>(i % 7 + 1));
    if (data[i] != expected) ++local;
  }
  if (local != 0) atomicAdd(wrong, local);
}

}  // namespace

cudaError_t LaunchFillAllReduceInput(float* data, std::size_t count, int rank, cudaStream_t stream) {
  FillKernel<<<kBlocks, kThreads, 0, stream>>>(data, count, rank);
  return cudaGetLastError();
}

cudaError_t LaunchCountAllReduceErrors(const float* data, std::size_t count, int ranks, unsigned long long* wrong,
                                       cudaStream_t stream) {
  CheckKernel<<<kBlocks, kThreads, 0, stream>>>(data, count, ranks, wrong);
  return cudaGetLastError();
}

}  // namespace llm::gpu_check

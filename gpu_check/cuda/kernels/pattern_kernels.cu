#include "kernels/pattern_kernels.cuh"

#include "kernels/pattern.cuh"

namespace llm::gpu_check {
namespace {

constexpr int kThreads = 256;
constexpr int kMaxBlocks = 4096;

int BlocksFor(std::size_t count) {
  const std::size_t blocks = (count + kThreads - 1) / kThreads;
  return blocks > kMaxBlocks ? kMaxBlocks : static_cast<int>(blocks == 0 ? 1 : blocks);
}

__global__ void FillPatternKernel(std::uint32_t* words, std::size_t count, std::uint32_t seed) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  for (std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < count; i += stride) {
    words[i] = PatternWord(i, seed);
  }
}

__global__ void CountMismatchesKernel(const std::uint32_t* words, std::size_t count, std::uint32_t seed,
                                      unsigned long long* mismatches) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  unsigned long long local = 0;
  for (std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < count; i += stride) {
    if (words[i] != PatternWord(i, seed)) ++local;
  }
  if (local != 0) atomicAdd(mismatches, local);
}

}  // namespace

cudaError_t LaunchFillPattern(std::uint32_t* words, std::size_t count, std::uint32_t seed, cudaStream_t stream) {
  FillPatternKernel<<<BlocksFor(count), kThreads, 0, stream>>>(words, count, seed);
  return cudaGetLastError();
}

cudaError_t LaunchCountPatternMismatches(const std::uint32_t* words, std::size_t count, std::uint32_t seed,
                                         unsigned long long* mismatches, cudaStream_t stream) {
  CountMismatchesKernel<<<BlocksFor(count), kThreads, 0, stream>>>(words, count, seed, mismatches);
  return cudaGetLastError();
}

}  // namespace llm::gpu_check

#include "kernels/spin_latch.cuh"

namespace llm::gpu_check {
namespace {

__global__ void SpinLatchKernel(const volatile int* flag, int* timed_out, long long timeout_cycles) {
  const long long start = clock64();
  while (*flag == 0) {
    if (clock64() - start > timeout_cycles) {
      *timed_out = 1;
      return;
    }
  }
}

}  // namespace

cudaError_t LaunchSpinLatch(const volatile int* flag, int* timed_out, long long timeout_cycles, cudaStream_t stream) {
  SpinLatchKernel<<<1, 1, 0, stream>>>(flag, timed_out, timeout_cycles);
  return cudaGetLastError();
}

}  // namespace llm::gpu_check

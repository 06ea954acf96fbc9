// hbm-copy-sweep: times the hbm check's copy kernel (kernels/copy_kernel.cu)
// over grid shapes and buffer sizes on GPU 0, next to cudaMemcpyAsync
// device-to-device, so the kernel's launch shape can be chosen from
// measurements on a real GPU (gpu_check/README.md, "Calibration").
//
//   hbm-copy-sweep [buffer MiB ...]     (default 512 1024 4096)
//
// Output: one line per case, "name MiB GB/s" with bytes read + written
// counted, the median of 10 samples of 20 copies after 3 warm-ups.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <cuda_runtime.h>

#include "kernels/copy_kernel.cuh"

namespace {

#define SWEEP_CHECK(call)                                                             \
  do {                                                                                \
    const cudaError_t e = (call);                                                     \
    if (e != cudaSuccess) {                                                           \
      std::fprintf(stderr, "hbm-copy-sweep: %s: %s\n", #call, cudaGetErrorString(e)); \
      std::exit(1);                                                                   \
    }                                                                                 \
  } while (false)

template <typename Enqueue>
double MedianGbps(std::size_t bytes, cudaStream_t stream, Enqueue enqueue) {
  constexpr int kWarmup = 3, kIterations = 20, kSamples = 10;
  cudaEvent_t start, stop;
  SWEEP_CHECK(cudaEventCreate(&start));
  SWEEP_CHECK(cudaEventCreate(&stop));
  for (int i = 0; i < kWarmup; ++i) enqueue();
  std::vector<double> gbps;
  for (int s = 0; s < kSamples; ++s) {
    SWEEP_CHECK(cudaEventRecord(start, stream));
    for (int i = 0; i < kIterations; ++i) enqueue();
    SWEEP_CHECK(cudaEventRecord(stop, stream));
    SWEEP_CHECK(cudaEventSynchronize(stop));
    float ms = 0;
    SWEEP_CHECK(cudaEventElapsedTime(&ms, start, stop));
    gbps.push_back(2.0 * static_cast<double>(bytes) * kIterations / (ms * 1e-3) / 1e9);
  }
  std::sort(gbps.begin(), gbps.end());
  SWEEP_CHECK(cudaEventDestroy(start));
  SWEEP_CHECK(cudaEventDestroy(stop));
  return (gbps[kSamples / 2 - 1] + gbps[kSamples / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::size_t> mib = {512, 1024, 4096};
  if (argc > 1) {
    mib.clear();
    for (int i = 1; i < argc; ++i) mib.push_back(static_cast<std::size_t>(std::strtoull(argv[i], nullptr, 10)));
  }
  cudaDeviceProp prop{};
  SWEEP_CHECK(cudaGetDeviceProperties(&prop, 0));
  std::printf("# %s, %d SMs, %.0f MB L2\n", prop.name, prop.multiProcessorCount, prop.l2CacheSize / 1e6);
  cudaStream_t stream;
  SWEEP_CHECK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
  for (std::size_t m : mib) {
    const std::size_t bytes = m << 20;
    void* src = nullptr;
    void* dst = nullptr;
    SWEEP_CHECK(cudaMalloc(&src, bytes));
    SWEEP_CHECK(cudaMalloc(&dst, bytes));
    SWEEP_CHECK(cudaMemsetAsync(src, 1, bytes, stream));
    // The default launch, checked for correctness as well as timed.
    SWEEP_CHECK(cudaMemsetAsync(dst, 0, bytes, stream));
    SWEEP_CHECK(llm::gpu_check::LaunchCopyKernel(dst, src, bytes, prop.multiProcessorCount, stream));
    std::vector<unsigned char> tail(4096);
    SWEEP_CHECK(cudaMemcpyAsync(tail.data(), static_cast<char*>(dst) + bytes - tail.size(), tail.size(),
                                cudaMemcpyDeviceToHost, stream));
    SWEEP_CHECK(cudaStreamSynchronize(stream));
    if (std::count(tail.begin(), tail.end(), 1) != static_cast<long>(tail.size())) {
      std::fprintf(stderr, "hbm-copy-sweep: the default launch did not copy the buffer's tail\n");
      return 2;
    }
    std::printf("memcpy_d2d %zu %.1f\n", m, MedianGbps(bytes, stream, [&] {
                  SWEEP_CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToDevice, stream));
                }));
    for (int unroll : {1, 2, 4}) {
      for (int blocks_per_sm : {2, 4, 8, 16, 32, 64}) {
        for (int threads : {512, 1024}) {
          const llm::gpu_check::CopyLaunch launch{blocks_per_sm, threads, unroll};
          const double g = MedianGbps(bytes, stream, [&] {
            SWEEP_CHECK(llm::gpu_check::LaunchCopyKernel(dst, src, bytes, prop.multiProcessorCount, stream, launch));
          });
          std::printf("kernel_%dx%d_u%d %zu %.1f\n", blocks_per_sm, threads, unroll, m, g);
        }
      }
    }
    std::fflush(stdout);
    SWEEP_CHECK(cudaFree(src));
    SWEEP_CHECK(cudaFree(dst));
  }
  SWEEP_CHECK(cudaStreamDestroy(stream));
  return 0;
}

#include "copy_timer.h"

#include <atomic>

#include "bandwidth.h"
#include "cuda_status.h"
#include "kernels/spin_latch.cuh"

namespace llm::gpu_check {
namespace {

// About 10 s at 2 GHz: far longer than queueing takes, short enough that a
// latch the host never released cannot outlive the phase deadline by much.
constexpr long long kLatchTimeoutCycles = 20'000'000'000LL;

}  // namespace

Result<CopyTimer> CopyTimer::Create() {
  CopyTimer t;
  GC_ASSIGN_OR_RETURN(t.flag_, PinnedBuffer::Allocate(2 * sizeof(int)));
  return t;
}

Result<std::vector<double>> CopyTimer::Measure(const std::vector<TimedCopy>& copies, int warmup, int iterations,
                                               Deadline deadline) {
  volatile int* flag = flag_.as<int>();
  flag[0] = 0;
  flag[1] = 0;
  std::atomic_thread_fence(std::memory_order_seq_cst);
  // Whatever happens below, latches already queued must not spin until they expire.
  struct Release {
    volatile int* flag;
    ~Release() {
      std::atomic_thread_fence(std::memory_order_seq_cst);
      flag[0] = 1;
    }
  } release{flag};

  std::vector<Event> starts;
  std::vector<Event> stops;
  for (const TimedCopy& c : copies) {
    GC_ASSIGN_OR_RETURN(Event start, Event::Create(c.device));
    GC_ASSIGN_OR_RETURN(Event stop, Event::Create(c.device));
    starts.push_back(std::move(start));
    stops.push_back(std::move(stop));
  }
  for (std::size_t i = 0; i < copies.size(); ++i) {
    const TimedCopy& c = copies[i];
    CUDA_CHECK(cudaSetDevice(c.device));
    for (int w = 0; w < warmup; ++w) CUDA_CHECK(c.enqueue(c.stream));
    void* device_flag = nullptr;
    CUDA_CHECK(cudaHostGetDevicePointer(&device_flag, flag_.get(), 0));
    int* device_flags = static_cast<int*>(device_flag);
    CUDA_CHECK(LaunchSpinLatch(device_flags, device_flags + 1, kLatchTimeoutCycles, c.stream));
    CUDA_CHECK(cudaEventRecord(starts[i].get(), c.stream));
    for (int it = 0; it < iterations; ++it) CUDA_CHECK(c.enqueue(c.stream));
    CUDA_CHECK(cudaEventRecord(stops[i].get(), c.stream));
  }
  std::atomic_thread_fence(std::memory_order_seq_cst);
  flag[0] = 1;

  std::vector<cudaEvent_t> stop_events;
  for (const Event& e : stops) stop_events.push_back(e.get());
  GC_RETURN_IF_ERROR(WaitForEvents(stop_events, deadline, "timed copies"));
  if (flag[1] != 0) {
    return Failure(ExitCode::kRuntimeError, "the spin latch expired before the copies were queued");
  }
  std::vector<double> gbps;
  for (std::size_t i = 0; i < copies.size(); ++i) {
    float ms = 0;
    CUDA_CHECK(cudaEventElapsedTime(&ms, starts[i].get(), stops[i].get()));
    gbps.push_back(GbPerSecond(copies[i].bytes_per_copy * static_cast<std::uint64_t>(iterations), ms / 1000.0));
  }
  return gbps;
}

}  // namespace llm::gpu_check

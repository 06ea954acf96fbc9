// The spin latch: one thread that holds a stream until the host releases a
// flag, so every copy of a sample is already queued when timing starts
// (enqueue cost excluded, all GPUs start together; nvbandwidth's method). A
// clock64 timeout guarantees the kernel ends even if the host never releases it.
#pragma once

#include <cuda_runtime.h>

namespace llm::gpu_check {

/// Blocks `stream` until *flag != 0 (host-mapped memory) or `timeout_cycles`
/// SM clock cycles pass; on timeout it sets *timed_out (host-mapped) to 1.
cudaError_t LaunchSpinLatch(const volatile int* flag, int* timed_out, long long timeout_cycles, cudaStream_t stream);

}  // namespace llm::gpu_check

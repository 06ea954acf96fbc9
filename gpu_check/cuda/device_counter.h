// DeviceCounter: a 64-bit counter that verification kernels add to on the
// GPU, read back through pinned memory. A copy into pageable memory may block
// the calling thread until the GPU gets there; into pinned memory it is truly
// asynchronous, so the read is covered by the deadline-polled wait.
#pragma once

#include <cstdint>

#include <cuda_runtime.h>

#include "device_resources.h"
#include "status.h"

namespace llm::gpu_check {

class DeviceCounter {
 public:
  static Result<DeviceCounter> Create(int device);

  /// The device address kernels add to.
  unsigned long long* device_ptr() const { return device_.as<unsigned long long>(); }
  /// Queues setting the counter to 0.
  Status Reset(cudaStream_t stream);
  /// Queues the copy to the host; value() is valid once the stream has been waited for.
  Status ReadAsync(cudaStream_t stream);
  std::uint64_t value() const { return *host_.as<unsigned long long>(); }

 private:
  int device_id_ = 0;
  DeviceBuffer device_;
  PinnedBuffer host_;
};

}  // namespace llm::gpu_check

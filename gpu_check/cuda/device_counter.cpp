#include "device_counter.h"

#include "cuda_status.h"

namespace llm::gpu_check {

Result<DeviceCounter> DeviceCounter::Create(int device) {
  DeviceCounter c;
  c.device_id_ = device;
  GC_ASSIGN_OR_RETURN(c.device_, DeviceBuffer::Allocate(device, sizeof(unsigned long long)));
  GC_ASSIGN_OR_RETURN(c.host_, PinnedBuffer::Allocate(sizeof(unsigned long long)));
  *c.host_.as<unsigned long long>() = 0;
  return c;
}

Status DeviceCounter::Reset(cudaStream_t stream) {
  CUDA_CHECK(cudaSetDevice(device_id_));
  CUDA_CHECK(cudaMemsetAsync(device_.get(), 0, sizeof(unsigned long long), stream));
  return OkStatus();
}

Status DeviceCounter::ReadAsync(cudaStream_t stream) {
  CUDA_CHECK(cudaSetDevice(device_id_));
  CUDA_CHECK(cudaMemcpyAsync(host_.get(), device_.get(), sizeof(unsigned long long), cudaMemcpyDeviceToHost, stream));
  return OkStatus();
}

}  // namespace llm::gpu_check

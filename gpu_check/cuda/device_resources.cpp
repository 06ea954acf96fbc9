#include "device_resources.h"

#include "cuda_status.h"

namespace llm::gpu_check {

Result<DeviceBuffer> DeviceBuffer::Allocate(int device, std::size_t bytes) {
  DeviceBuffer b;
  CUDA_CHECK(cudaSetDevice(device));
  CUDA_CHECK(cudaMalloc(&b.ptr_, bytes));
  b.bytes_ = bytes;
  b.device_ = device;
  return b;
}

DeviceBuffer& DeviceBuffer::operator=(DeviceBuffer&& other) noexcept {
  std::swap(ptr_, other.ptr_);
  std::swap(bytes_, other.bytes_);
  std::swap(device_, other.device_);
  return *this;
}

DeviceBuffer::~DeviceBuffer() {
  if (ptr_ != nullptr) {
    cudaSetDevice(device_);
    cudaFree(ptr_);
  }
}

Result<PinnedBuffer> PinnedBuffer::Allocate(std::size_t bytes) {
  PinnedBuffer b;
  CUDA_CHECK(cudaHostAlloc(&b.ptr_, bytes, cudaHostAllocPortable | cudaHostAllocMapped));
  b.bytes_ = bytes;
  return b;
}

PinnedBuffer& PinnedBuffer::operator=(PinnedBuffer&& other) noexcept {
  std::swap(ptr_, other.ptr_);
  std::swap(bytes_, other.bytes_);
  return *this;
}

PinnedBuffer::~PinnedBuffer() {
  if (ptr_ != nullptr) cudaFreeHost(ptr_);
}

Result<Stream> Stream::Create(int device) {
  Stream s;
  CUDA_CHECK(cudaSetDevice(device));
  CUDA_CHECK(cudaStreamCreateWithFlags(&s.stream_, cudaStreamNonBlocking));
  s.device_ = device;
  return s;
}

Stream& Stream::operator=(Stream&& other) noexcept {
  std::swap(stream_, other.stream_);
  std::swap(device_, other.device_);
  return *this;
}

Stream::~Stream() {
  if (stream_ != nullptr) {
    cudaSetDevice(device_);
    cudaStreamDestroy(stream_);
  }
}

Result<Event> Event::Create(int device) {
  Event e;
  CUDA_CHECK(cudaSetDevice(device));
  CUDA_CHECK(cudaEventCreate(&e.event_));
  e.device_ = device;
  return e;
}

Event& Event::operator=(Event&& other) noexcept {
  std::swap(event_, other.event_);
  std::swap(device_, other.device_);
  return *this;
}

Event::~Event() {
  if (event_ != nullptr) {
    cudaSetDevice(device_);
    cudaEventDestroy(event_);
  }
}

}  // namespace llm::gpu_check

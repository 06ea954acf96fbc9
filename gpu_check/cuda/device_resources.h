// RAII owners of CUDA resources. Each is created through a factory that
// returns Result, so a failed allocation is a value with context, and freed in
// the destructor (errors there are ignored: there is nobody left to tell).
#pragma once

#include <cstddef>
#include <utility>

#include <cuda_runtime.h>

#include "status.h"

namespace llm::gpu_check {

/// Device memory on one GPU.
class DeviceBuffer {
 public:
  static Result<DeviceBuffer> Allocate(int device, std::size_t bytes);
  DeviceBuffer() = default;
  DeviceBuffer(DeviceBuffer&& other) noexcept { *this = std::move(other); }
  DeviceBuffer& operator=(DeviceBuffer&& other) noexcept;
  ~DeviceBuffer();

  void* get() const { return ptr_; }
  template <typename T>
  T* as() const {
    return static_cast<T*>(ptr_);
  }
  std::size_t bytes() const { return bytes_; }
  int device() const { return device_; }

 private:
  void* ptr_ = nullptr;
  std::size_t bytes_ = 0;
  int device_ = -1;
};

/// Pinned host memory (cudaHostAlloc), portable across GPUs and mapped, so
/// kernels can read it (the spin latch flag) and copies run at full PCIe rate.
class PinnedBuffer {
 public:
  static Result<PinnedBuffer> Allocate(std::size_t bytes);
  PinnedBuffer() = default;
  PinnedBuffer(PinnedBuffer&& other) noexcept { *this = std::move(other); }
  PinnedBuffer& operator=(PinnedBuffer&& other) noexcept;
  ~PinnedBuffer();

  void* get() const { return ptr_; }
  template <typename T>
  T* as() const {
    return static_cast<T*>(ptr_);
  }
  std::size_t bytes() const { return bytes_; }

 private:
  void* ptr_ = nullptr;
  std::size_t bytes_ = 0;
};

/// A non-blocking stream on one GPU.
class Stream {
 public:
  static Result<Stream> Create(int device);
  Stream() = default;
  Stream(Stream&& other) noexcept { *this = std::move(other); }
  Stream& operator=(Stream&& other) noexcept;
  ~Stream();

  cudaStream_t get() const { return stream_; }
  int device() const { return device_; }

 private:
  cudaStream_t stream_ = nullptr;
  int device_ = -1;
};

/// A timing event on one GPU.
class Event {
 public:
  static Result<Event> Create(int device);
  Event() = default;
  Event(Event&& other) noexcept { *this = std::move(other); }
  Event& operator=(Event&& other) noexcept;
  ~Event();

  cudaEvent_t get() const { return event_; }

 private:
  cudaEvent_t event_ = nullptr;
  int device_ = -1;
};

}  // namespace llm::gpu_check

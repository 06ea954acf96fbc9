// NvmlHealthReader: HealthReader over the driver's NVML (NvmlLibrary).
#pragma once

#include <vector>

#include "health_reader.h"
#include "nvml_library.h"

namespace llm::gpu_check {

class NvmlHealthReader : public HealthReader {
 public:
  /// `nvml` must outlive the reader.
  explicit NvmlHealthReader(const NvmlLibrary& nvml) : nvml_(nvml) {}
  ~NvmlHealthReader() override;

  Status Open(const std::vector<std::string>& uuids) override;
  void ReadSoftware(HealthSection& out) override;
  void ReadStatic(int gpu, GpuHealth& out) override;
  void ReadCounters(int gpu, CounterTime when, GpuHealth& out) override;
  HealthSample Sample(int gpu) override;
  std::optional<std::string> WatchXids() override;
  std::vector<std::pair<int, XidEvent>> CollectXids() override;

 private:
  /// Records "what: NVML's text" in out.unsupported once, unless `r` is success.
  bool Check(nvml::Return r, const char* what, GpuHealth& out) const;

  const NvmlLibrary& nvml_;
  std::vector<nvml::Device> devices_;
  nvml::EventSet events_ = nullptr;
};

}  // namespace llm::gpu_check

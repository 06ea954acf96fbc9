// HealthSession: the health check's state across a run. Started right after
// the inventory (so the "before" counters and the XID registration cover
// every test), finished by the health check, which runs last.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "health_monitor.h"
#include "nvml_health_reader.h"
#include "nvml_library.h"
#include "status.h"

namespace llm::gpu_check {

class HealthSession {
 public:
  /// Loads NVML from `library_path` and begins monitoring `gpus`. Never
  /// fails itself: why it could not start is kept for the health check to report.
  static std::unique_ptr<HealthSession> Start(const std::vector<MonitoredGpu>& gpus,
                                              const std::string& library_path = NvmlLibrary::kDefaultPath);

  /// Set when the health check must report skip (NVML absent or lacking a function).
  const std::optional<std::string>& skip_reason() const { return skip_reason_; }
  /// Set when it must report an error (nvmlInit failed, a GPU unknown to NVML).
  const std::optional<Failure>& failure() const { return failure_; }
  /// Non-null when neither is set.
  HealthMonitor* monitor() { return monitor_.get(); }

 private:
  HealthSession() = default;
  // Destroyed in reverse: monitor, reader, then the library.
  std::unique_ptr<NvmlLibrary> library_;
  std::unique_ptr<NvmlHealthReader> reader_;
  std::unique_ptr<HealthMonitor> monitor_;
  std::optional<std::string> skip_reason_;
  std::optional<Failure> failure_;
};

}  // namespace llm::gpu_check

// NvmlLibrary: the driver's NVML, loaded at run time with dlopen. Nothing
// links against libnvidia-ml: a node without it (or a driver too old for a
// function the health check needs) still runs every other test, and the
// health check reports `skip` with the reason.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "nvml_api.h"

namespace llm::gpu_check {

/// The NVML functions the health check calls. Every pointer is non-null once
/// Open succeeded.
struct NvmlFunctions {
  nvml::InitFn init = nullptr;
  nvml::ShutdownFn shutdown = nullptr;
  nvml::ErrorStringFn error_string = nullptr;
  nvml::SystemGetDriverVersionFn system_driver_version = nullptr;
  nvml::SystemGetCudaDriverVersionFn system_cuda_driver_version = nullptr;
  nvml::DeviceGetHandleByUuidFn handle_by_uuid = nullptr;
  nvml::DeviceGetEnableStateFn persistence_mode = nullptr;
  nvml::DeviceGetMigModeFn mig_mode = nullptr;
  nvml::DeviceGetEccModeFn ecc_mode = nullptr;
  nvml::DeviceGetTotalEccErrorsFn total_ecc_errors = nullptr;
  nvml::DeviceGetRetiredPagesFn retired_pages = nullptr;
  nvml::DeviceGetEnableStateFn retired_pages_pending = nullptr;
  nvml::DeviceGetRemappedRowsFn remapped_rows = nullptr;
  nvml::DeviceGetUintFn curr_pcie_gen = nullptr;
  nvml::DeviceGetUintFn curr_pcie_width = nullptr;
  nvml::DeviceGetUintFn max_pcie_gen = nullptr;
  nvml::DeviceGetUintFn max_pcie_width = nullptr;
  nvml::DeviceGetUintFn pcie_replays = nullptr;
  nvml::DeviceGetNvLinkStateFn nvlink_state = nullptr;
  nvml::DeviceGetNvLinkErrorCounterFn nvlink_error_counter = nullptr;
  nvml::DeviceGetClocksEventReasonsFn clocks_event_reasons = nullptr;
  nvml::DeviceGetTemperatureFn temperature = nullptr;
  nvml::DeviceGetTemperatureThresholdFn temperature_threshold = nullptr;
  nvml::DeviceGetUintFn power_usage = nullptr;
  nvml::DeviceGetUintFn enforced_power_limit = nullptr;
  nvml::DeviceGetUintFn default_power_limit = nullptr;
  nvml::EventSetCreateFn event_set_create = nullptr;
  nvml::DeviceRegisterEventsFn register_events = nullptr;
  nvml::EventSetWaitFn event_set_wait = nullptr;
  nvml::EventSetFreeFn event_set_free = nullptr;
};

class NvmlLibrary;

/// The outcome of NvmlLibrary::Open: a usable library, or why not.
struct NvmlOpenResult {
  std::unique_ptr<NvmlLibrary> library;
  /// false: NVML is absent or lacks a function (the health check is skipped);
  /// true: it is there but nvmlInit failed, e.g. a driver/library version
  /// mismatch after a driver upgrade without a reboot (an error: the node is broken).
  bool broken = false;
  std::string reason;  ///< "" when library is set
};

class NvmlLibrary {
 public:
  /// The driver's library, found the way the dynamic loader finds it.
  static constexpr const char* kDefaultPath = "libnvidia-ml.so.1";

  /// dlopen(path), looks up every function (reason names the first missing
  /// one) and calls nvmlInit_v2.
  static NvmlOpenResult Open(const std::string& path = kDefaultPath);

  NvmlLibrary(const NvmlLibrary&) = delete;
  NvmlLibrary& operator=(const NvmlLibrary&) = delete;
  /// nvmlShutdown, then dlclose.
  ~NvmlLibrary();

  const NvmlFunctions& fn() const { return fn_; }
  /// NVML's own text for a return code ("Not Supported").
  std::string ErrorText(nvml::Return result) const;

 private:
  NvmlLibrary() = default;
  void* handle_ = nullptr;
  NvmlFunctions fn_;
};

}  // namespace llm::gpu_check

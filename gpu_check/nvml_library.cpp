#include "nvml_library.h"

#include <dlfcn.h>

#include <fmt/format.h>

namespace llm::gpu_check {
namespace {

/// One function to look up: its symbol, an older name the same function had
/// (the driver keeps both; older drivers only the old one), and where it goes.
struct Symbol {
  const char* name;
  const char* old_name;
  void** slot;
};

template <typename F>
void** Slot(F& f) {
  return reinterpret_cast<void**>(&f);
}

}  // namespace

NvmlOpenResult NvmlLibrary::Open(const std::string& path) {
  NvmlOpenResult out;
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    out.reason = fmt::format("NVML is not available: cannot load {}: {}", path, why != nullptr ? why : "unknown error");
    return out;
  }
  std::unique_ptr<NvmlLibrary> lib(new NvmlLibrary());
  lib->handle_ = handle;
  NvmlFunctions& f = lib->fn_;
  const Symbol symbols[] = {
      {"nvmlInit_v2", nullptr, Slot(f.init)},
      {"nvmlShutdown", nullptr, Slot(f.shutdown)},
      {"nvmlErrorString", nullptr, Slot(f.error_string)},
      {"nvmlSystemGetDriverVersion", nullptr, Slot(f.system_driver_version)},
      {"nvmlSystemGetCudaDriverVersion_v2", nullptr, Slot(f.system_cuda_driver_version)},
      {"nvmlDeviceGetHandleByUUID", nullptr, Slot(f.handle_by_uuid)},
      {"nvmlDeviceGetPersistenceMode", nullptr, Slot(f.persistence_mode)},
      {"nvmlDeviceGetMigMode", nullptr, Slot(f.mig_mode)},
      {"nvmlDeviceGetEccMode", nullptr, Slot(f.ecc_mode)},
      {"nvmlDeviceGetTotalEccErrors", nullptr, Slot(f.total_ecc_errors)},
      {"nvmlDeviceGetRetiredPages", nullptr, Slot(f.retired_pages)},
      {"nvmlDeviceGetRetiredPagesPendingStatus", nullptr, Slot(f.retired_pages_pending)},
      {"nvmlDeviceGetRemappedRows", nullptr, Slot(f.remapped_rows)},
      {"nvmlDeviceGetCurrPcieLinkGeneration", nullptr, Slot(f.curr_pcie_gen)},
      {"nvmlDeviceGetCurrPcieLinkWidth", nullptr, Slot(f.curr_pcie_width)},
      {"nvmlDeviceGetMaxPcieLinkGeneration", nullptr, Slot(f.max_pcie_gen)},
      {"nvmlDeviceGetMaxPcieLinkWidth", nullptr, Slot(f.max_pcie_width)},
      {"nvmlDeviceGetPcieReplayCounter", nullptr, Slot(f.pcie_replays)},
      {"nvmlDeviceGetNvLinkState", nullptr, Slot(f.nvlink_state)},
      {"nvmlDeviceGetNvLinkErrorCounter", nullptr, Slot(f.nvlink_error_counter)},
      // Renamed in R535 (CUDA 12.2); drivers before it have only the old name.
      {"nvmlDeviceGetCurrentClocksEventReasons", "nvmlDeviceGetCurrentClocksThrottleReasons",
       Slot(f.clocks_event_reasons)},
      {"nvmlDeviceGetTemperature", nullptr, Slot(f.temperature)},
      {"nvmlDeviceGetTemperatureThreshold", nullptr, Slot(f.temperature_threshold)},
      {"nvmlDeviceGetPowerUsage", nullptr, Slot(f.power_usage)},
      {"nvmlDeviceGetEnforcedPowerLimit", nullptr, Slot(f.enforced_power_limit)},
      {"nvmlDeviceGetPowerManagementDefaultLimit", nullptr, Slot(f.default_power_limit)},
      {"nvmlEventSetCreate", nullptr, Slot(f.event_set_create)},
      {"nvmlDeviceRegisterEvents", nullptr, Slot(f.register_events)},
      {"nvmlEventSetWait_v2", nullptr, Slot(f.event_set_wait)},
      {"nvmlEventSetFree", nullptr, Slot(f.event_set_free)},
  };
  for (const Symbol& s : symbols) {
    *s.slot = dlsym(handle, s.name);
    if (*s.slot == nullptr && s.old_name != nullptr) *s.slot = dlsym(handle, s.old_name);
    if (*s.slot == nullptr) {
      // The destructor must not call nvmlShutdown on a library never initialised.
      f.shutdown = nullptr;
      out.reason = fmt::format("NVML is not usable: {} lacks {} (the driver is too old)", path, s.name);
      return out;
    }
  }
  const nvml::Return init = f.init();
  if (init != nvml::kSuccess) {
    out.broken = true;
    out.reason = fmt::format("nvmlInit_v2 failed: {}", lib->ErrorText(init));
    f.shutdown = nullptr;
    return out;
  }
  out.library = std::move(lib);
  return out;
}

NvmlLibrary::~NvmlLibrary() {
  if (fn_.shutdown != nullptr) fn_.shutdown();
  if (handle_ != nullptr) dlclose(handle_);
}

std::string NvmlLibrary::ErrorText(nvml::Return result) const {
  const char* text = fn_.error_string != nullptr ? fn_.error_string(result) : nullptr;
  return text != nullptr ? fmt::format("{} ({})", text, static_cast<unsigned>(result))
                         : fmt::format("NVML error {}", static_cast<unsigned>(result));
}

}  // namespace llm::gpu_check

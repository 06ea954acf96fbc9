// A fake libnvidia-ml.so.1 for the health check's tests: the NVML symbols
// NvmlLibrary looks up, answering from a JSON fixture, so the real dlopen /
// dlsym / nvmlInit path runs on machines without a GPU.
//
// The fixture is read by nvmlInit_v2 from the file named by $FAKE_NVML_FIXTURE
// (tests/testdata/gpu_check/nvml/*.json, each citing the public readings its
// values come from). Per GPU, a missing key makes the function answer
// NVML_ERROR_NOT_SUPPORTED, and {"error": N} answers error N. A value may be
// given per phase, {"before": a, "load": b, "after": c}: the test moves the
// phase with fake_nvml_set_phase(), and a phase without a value takes the one
// before it (after -> load -> before). XIDs listed under "xids" are delivered
// by nvmlEventSetWait_v2 once a set is registered and the phase is "after".
//
// Built twice (tests/CMakeLists.txt): fake_nvml/libnvidia-ml.so.1 exports every
// function; with FAKE_NVML_OLD_DRIVER, fake_nvml_old/libnvidia-ml.so.1 plays a
// pre-R535 driver (clock reasons only under their old "Throttle" name) that
// also lacks nvmlDeviceGetRemappedRows (pre-R450).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nvml_api.h"

namespace {

namespace nvml = llm::gpu_check::nvml;
using nlohmann::json;

struct State {
  std::mutex mu;
  json fixture;
  std::string phase = "before";
  bool initialized = false;
  bool events_registered = false;
  std::vector<std::size_t> xids_delivered;  // per GPU: how many of its xids were delivered
};

State& S() {
  static State state;
  return state;
}

const json* Gpu(nvml::Device device) {
  const auto index = reinterpret_cast<std::uintptr_t>(device);
  const json& gpus = S().fixture["gpus"];
  if (index == 0 || index > gpus.size()) return nullptr;
  return &gpus[index - 1];
}

/// The value of `key` for the current phase, or nullptr when there is none.
const json* Value(const json& gpu, const char* key) {
  if (!gpu.contains(key)) return nullptr;
  const json& v = gpu[key];
  if (!v.is_object() || v.contains("error")) return &v;
  const std::string& phase = S().phase;
  const char* order[3] = {"before", "before", "before"};
  if (phase == "load") order[0] = "load";
  if (phase == "after") {
    order[0] = "after";
    order[1] = "load";
  }
  for (const char* p : order) {
    if (v.contains(p)) return &v[p];
  }
  return nullptr;
}

nvml::Return ErrorOf(const json* v) {
  if (v == nullptr) return nvml::kErrorNotSupported;
  if (v->is_object() && v->contains("error")) return static_cast<nvml::Return>((*v)["error"].get<unsigned>());
  return nvml::kSuccess;
}

template <typename T>
nvml::Return Get(nvml::Device device, const char* key, T* out) {
  std::lock_guard lock(S().mu);
  if (!S().initialized) return nvml::kErrorUninitialized;
  const json* gpu = Gpu(device);
  if (gpu == nullptr) return nvml::kErrorInvalidArgument;
  const json* v = Value(*gpu, key);
  if (const nvml::Return e = ErrorOf(v); e != nvml::kSuccess) return e;
  if (out == nullptr) return nvml::kErrorInvalidArgument;
  *out = v->get<T>();
  return nvml::kSuccess;
}

}  // namespace

extern "C" {

// Test controls (not NVML).
__attribute__((visibility("default"))) void fake_nvml_set_phase(const char* phase) {
  std::lock_guard lock(S().mu);
  S().phase = phase;
}

__attribute__((visibility("default"))) nvml::Return nvmlInit_v2() {
  std::lock_guard lock(S().mu);
  const char* path = std::getenv("FAKE_NVML_FIXTURE");
  if (path == nullptr) return nvml::kErrorDriverNotLoaded;
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  State& s = S();
  s.fixture = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (s.fixture.is_discarded() || !s.fixture.contains("gpus")) {
    std::fprintf(stderr, "fake_nvml: cannot read the fixture %s\n", path);
    return nvml::kErrorUnknown;
  }
  if (s.fixture.contains("init")) return static_cast<nvml::Return>(s.fixture["init"].get<unsigned>());
  s.initialized = true;
  s.phase = "before";
  s.events_registered = false;
  s.xids_delivered.assign(s.fixture["gpus"].size(), 0);
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) nvml::Return nvmlShutdown() {
  std::lock_guard lock(S().mu);
  S().initialized = false;
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) const char* nvmlErrorString(nvml::Return r) {
  switch (r) {
    case nvml::kSuccess:
      return "Success";
    case nvml::kErrorUninitialized:
      return "Uninitialized";
    case nvml::kErrorInvalidArgument:
      return "Invalid Argument";
    case nvml::kErrorNotSupported:
      return "Not Supported";
    case nvml::kErrorNotFound:
      return "Not Found";
    case nvml::kErrorTimeout:
      return "Timeout";
    case nvml::kErrorGpuIsLost:
      return "GPU is lost";
    case nvml::kErrorLibRmVersionMismatch:
      return "RM has detected an NVML/RM version mismatch.";
    default:
      return "Unknown Error";
  }
}

__attribute__((visibility("default"))) nvml::Return nvmlSystemGetDriverVersion(char* version, unsigned int length) {
  std::lock_guard lock(S().mu);
  const std::string v = S().fixture.value("driver_version", "");
  if (v.size() + 1 > length) return nvml::kErrorInsufficientSize;
  std::memcpy(version, v.c_str(), v.size() + 1);
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) nvml::Return nvmlSystemGetCudaDriverVersion_v2(int* version) {
  std::lock_guard lock(S().mu);
  *version = S().fixture.value("cuda_driver_version", 0);
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) nvml::Return nvmlDeviceGetHandleByUUID(const char* uuid, nvml::Device* device) {
  std::lock_guard lock(S().mu);
  const json& gpus = S().fixture["gpus"];
  for (std::size_t i = 0; i < gpus.size(); ++i) {
    if (gpus[i].value("uuid", "") == uuid) {
      *device = reinterpret_cast<nvml::Device>(static_cast<std::uintptr_t>(i + 1));
      return nvml::kSuccess;
    }
  }
  return nvml::kErrorNotFound;
}

__attribute__((visibility("default"))) nvml::Return nvmlDeviceGetPersistenceMode(nvml::Device d, nvml::EnableState* m) {
  unsigned v = 0;
  const nvml::Return r = Get(d, "persistence_mode", &v);
  if (r == nvml::kSuccess) *m = static_cast<nvml::EnableState>(v);
  return r;
}

__attribute__((visibility("default"))) nvml::Return nvmlDeviceGetMigMode(nvml::Device d, unsigned int* current,
                                                                         unsigned int* pending) {
  const nvml::Return r = Get(d, "mig_mode", current);
  if (r == nvml::kSuccess) *pending = *current;
  return r;
}

__attribute__((visibility("default"))) nvml::Return nvmlDeviceGetEccMode(nvml::Device d, nvml::EnableState* current,
                                                                         nvml::EnableState* pending) {
  unsigned v = 0;
  const nvml::Return r = Get(d, "ecc_mode", &v);
  if (r == nvml::kSuccess) *current = *pending = static_cast<nvml::EnableState>(v);
  return r;
}

__attribute__((visibility("default"))) nvml::Return nvmlDeviceGetTotalEccErrors(nvml::Device d,
                                                                                nvml::MemoryErrorType type,
                                                                                nvml::EccCounterType counter,
                                                                                unsigned long long* count) {
  const char* key = type == nvml::kMemoryErrorCorrected ? "ecc_corrected_volatile"
                    : counter == nvml::kVolatileEcc     ? "ecc_uncorrected_volatile"
                                                        : "ecc_uncorrected_aggregate";
  if (type == nvml::kMemoryErrorCorrected && counter == nvml::kAggregateEcc) return nvml::kErrorNotSupported;
  return Get(d, key, count);
}

__attribute__((visibility("default"))) nvml::Return nvmlDeviceGetRetiredPages(nvml::Device d,
                                                                              nvml::PageRetirementCause cause,
                                                                              unsigned int* count,
                                                                              unsigned long long* addresses) {
  unsigned pages = 0;
  const nvml::Return r = Get(d, cause == nvml::kRetiredDoubleBit ? "retired_pages_dbe" : "retired_pages_sbe", &pages);
  if (r != nvml::kSuccess) return r;
  const bool fits = *count >= pages;
  if (fits && addresses != nullptr) {
    for (unsigned i = 0; i < pages; ++i) addresses[i] = 0x1000ULL * (i + 1);
  }
  *count = pages;
  return fits ? nvml::kSuccess : nvml::kErrorInsufficientSize;
}

__attribute__((visibility("default"))) nvml::Return nvmlDeviceGetRetiredPagesPendingStatus(nvml::Device d,
                                                                                           nvml::EnableState* p) {
  unsigned v = 0;
  const nvml::Return r = Get(d, "retired_pages_pending", &v);
  if (r == nvml::kSuccess) *p = static_cast<nvml::EnableState>(v);
  return r;
}

#ifndef FAKE_NVML_OLD_DRIVER
__attribute__((visibility("default"))) nvml::Return nvmlDeviceGetRemappedRows(nvml::Device d, unsigned int* corr,
                                                                              unsigned int* unc, unsigned int* pending,
                                                                              unsigned int* failure) {
  std::vector<unsigned> v;
  const nvml::Return r = Get(d, "remapped_rows", &v);
  if (r != nvml::kSuccess) return r;
  if (v.size() != 4) return nvml::kErrorUnknown;
  *corr = v[0];
  *unc = v[1];
  *pending = v[2];
  *failure = v[3];
  return nvml::kSuccess;
}
#endif

__attribute__((visibility("default"))) nvml::Return nvmlDeviceGetCurrPcieLinkGeneration(nvml::Device d,
                                                                                        unsigned int* v) {
  return Get(d, "pcie_gen", v);
}
__attribute__((visibility("default"))) nvml::Return nvmlDeviceGetCurrPcieLinkWidth(nvml::Device d, unsigned int* v) {
  return Get(d, "pcie_width", v);
}
__attribute__((visibility("default"))) nvml::Return nvmlDeviceGetMaxPcieLinkGeneration(nvml::Device d,
                                                                                       unsigned int* v) {
  return Get(d, "pcie_max_gen", v);
}
__attribute__((visibility("default"))) nvml::Return nvmlDeviceGetMaxPcieLinkWidth(nvml::Device d, unsigned int* v) {
  return Get(d, "pcie_max_width", v);
}
__attribute__((visibility("default"))) nvml::Return nvmlDeviceGetPcieReplayCounter(nvml::Device d, unsigned int* v) {
  return Get(d, "pcie_replays", v);
}

__attribute__((visibility("default"))) nvml::Return nvmlDeviceGetNvLinkState(nvml::Device d, unsigned int link,
                                                                             nvml::EnableState* active) {
  std::vector<unsigned> links;
  const nvml::Return r = Get(d, "nvlinks", &links);
  if (r != nvml::kSuccess) return r;
  if (link >= links.size()) return nvml::kErrorInvalidArgument;
  *active = static_cast<nvml::EnableState>(links[link]);
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) nvml::Return nvmlDeviceGetNvLinkErrorCounter(nvml::Device d, unsigned int link,
                                                                                    nvml::NvLinkErrorCounter counter,
                                                                                    unsigned long long* value) {
  // Per link, [replay, recovery, crc_flit, crc_data]; one row for all links when only one is given.
  std::vector<std::vector<unsigned long long>> rows;
  const nvml::Return r = Get(d, "nvlink_errors", &rows);
  if (r != nvml::kSuccess) return r;
  if (rows.empty() || counter > nvml::kNvLinkCrcData) return nvml::kErrorInvalidArgument;
  const auto& row = rows.size() == 1 ? rows[0] : rows.at(link);
  *value = row.at(counter);
  return nvml::kSuccess;
}

#ifdef FAKE_NVML_OLD_DRIVER
__attribute__((visibility("default"))) nvml::Return nvmlDeviceGetCurrentClocksThrottleReasons(nvml::Device d,
                                                                                              unsigned long long* v) {
  return Get(d, "clocks_event_reasons", v);
}
#else
__attribute__((visibility("default"))) nvml::Return nvmlDeviceGetCurrentClocksEventReasons(nvml::Device d,
                                                                                           unsigned long long* v) {
  return Get(d, "clocks_event_reasons", v);
}
#endif

__attribute__((visibility("default"))) nvml::Return nvmlDeviceGetTemperature(nvml::Device d,
                                                                             nvml::TemperatureSensor sensor,
                                                                             unsigned int* v) {
  if (sensor != nvml::kTemperatureGpu) return nvml::kErrorInvalidArgument;
  return Get(d, "temperature", v);
}

__attribute__((visibility("default"))) nvml::Return nvmlDeviceGetTemperatureThreshold(nvml::Device d,
                                                                                      nvml::TemperatureThreshold which,
                                                                                      unsigned int* v) {
  if (which == nvml::kThresholdSlowdown) return Get(d, "slowdown_temp", v);
  if (which == nvml::kThresholdShutdown) return Get(d, "shutdown_temp", v);
  return nvml::kErrorNotSupported;
}

__attribute__((visibility("default"))) nvml::Return nvmlDeviceGetPowerUsage(nvml::Device d, unsigned int* v) {
  return Get(d, "power_mw", v);
}
__attribute__((visibility("default"))) nvml::Return nvmlDeviceGetEnforcedPowerLimit(nvml::Device d, unsigned int* v) {
  return Get(d, "power_limit_mw", v);
}
__attribute__((visibility("default"))) nvml::Return nvmlDeviceGetPowerManagementDefaultLimit(nvml::Device d,
                                                                                             unsigned int* v) {
  return Get(d, "default_power_limit_mw", v);
}

__attribute__((visibility("default"))) nvml::Return nvmlEventSetCreate(nvml::EventSet* set) {
  std::lock_guard lock(S().mu);
  if (S().fixture.contains("event_set_create")) {
    return static_cast<nvml::Return>(S().fixture["event_set_create"].get<unsigned>());
  }
  *set = reinterpret_cast<nvml::EventSet>(static_cast<std::uintptr_t>(0xe5e7));
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) nvml::Return nvmlDeviceRegisterEvents(nvml::Device d, unsigned long long types,
                                                                             nvml::EventSet) {
  std::lock_guard lock(S().mu);
  const json* gpu = Gpu(d);
  if (gpu == nullptr) return nvml::kErrorInvalidArgument;
  if (gpu->contains("register_events")) return static_cast<nvml::Return>((*gpu)["register_events"].get<unsigned>());
  if ((types & nvml::kEventTypeXidCriticalError) != 0) S().events_registered = true;
  return nvml::kSuccess;
}

__attribute__((visibility("default"))) nvml::Return nvmlEventSetWait_v2(nvml::EventSet, nvml::EventData* data,
                                                                        unsigned int) {
  std::lock_guard lock(S().mu);
  State& s = S();
  if (!s.events_registered || s.phase != "after") return nvml::kErrorTimeout;
  const json& gpus = s.fixture["gpus"];
  for (std::size_t i = 0; i < gpus.size(); ++i) {
    const json xids = gpus[i].value("xids", json::array());
    if (s.xids_delivered[i] < xids.size()) {
      *data = nvml::EventData{reinterpret_cast<nvml::Device>(static_cast<std::uintptr_t>(i + 1)),
                              nvml::kEventTypeXidCriticalError, xids[s.xids_delivered[i]].get<unsigned long long>(),
                              0xFFFFFFFFu, 0xFFFFFFFFu};
      ++s.xids_delivered[i];
      return nvml::kSuccess;
    }
  }
  return nvml::kErrorTimeout;
}

__attribute__((visibility("default"))) nvml::Return nvmlEventSetFree(nvml::EventSet) { return nvml::kSuccess; }

}  // extern "C"

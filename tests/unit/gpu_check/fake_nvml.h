// Test helpers for the fake libnvidia-ml.so.1 (tests/fake_nvml/fake_nvml.cpp):
// choose its fixture, move its phase, and name the fixtures' GPUs.
#pragma once

#include <dlfcn.h>
#include <stdlib.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "health_monitor.h"

namespace llm::gpu_check::testing {

inline std::string NvmlFixture(const std::string& name) {
  return std::string(LLM_TESTDATA_DIR) + "/gpu_check/nvml/" + name;
}

/// Points the fake library at a fixture file; nvmlInit_v2 reads it.
inline void UseNvmlFixture(const std::string& path) { setenv("FAKE_NVML_FIXTURE", path.c_str(), 1); }

/// Writes `json` to a scratch file and uses it as the fixture.
inline void UseNvmlFixtureText(const std::string& json) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("llm-fake-nvml-" + std::to_string(getpid()) + ".json")).string();
  std::ofstream(path) << json;
  UseNvmlFixture(path);
}

/// The fake's own control: "before", "load" or "after".
inline void SetNvmlPhase(const char* phase, const char* library = LLM_FAKE_NVML) {
  void* handle = dlopen(library, RTLD_NOW | RTLD_NOLOAD);
  if (handle == nullptr) return;  // not loaded: nothing to move
  auto set = reinterpret_cast<void (*)(const char*)>(dlsym(handle, "fake_nvml_set_phase"));
  if (set != nullptr) set(phase);
  dlclose(handle);
}

/// GPUs 0..n-1 with the fixtures' UUID scheme.
inline std::vector<MonitoredGpu> FixtureGpus(int n,
                                             const std::string& prefix = "GPU-00000000-0000-0000-0000-00000000000") {
  std::vector<MonitoredGpu> gpus;
  for (int i = 0; i < n; ++i) gpus.push_back({i, prefix + std::to_string(i)});
  return gpus;
}

}  // namespace llm::gpu_check::testing

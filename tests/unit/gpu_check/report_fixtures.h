// Small builders for gpu_check tests: GPUs, series and reports as fixtures.
#pragma once

#include <string>
#include <vector>

#include "report.h"

namespace llm::gpu_check::testing {

inline GpuInfo H100(int index) {
  GpuInfo g;
  g.index = index;
  g.name = "NVIDIA H100 80GB HBM3";
  g.pci_device_id = 0x2330;
  g.uuid = "GPU-0000000" + std::to_string(index);
  g.pci_bus_id = "0000:1" + std::to_string(index) + ":00.0";
  g.memory_bytes = 85899345920ULL;
  g.cc_major = 9;
  return g;
}

inline std::vector<GpuInfo> H100s(int n) {
  std::vector<GpuInfo> gpus;
  for (int i = 0; i < n; ++i) gpus.push_back(H100(i));
  return gpus;
}

inline Series MakeSeries(std::string metric, int gpu, std::vector<double> samples, int peer = -1) {
  Series s;
  s.metric = std::move(metric);
  s.gpu = gpu;
  s.peer = peer;
  s.samples = std::move(samples);
  return s;
}

/// An hbm test with one series per GPU at the given medians (three samples each).
inline TestResult HbmTest(const std::vector<double>& medians) {
  TestResult t;
  t.name = "hbm";
  for (std::size_t i = 0; i < medians.size(); ++i) {
    const double m = medians[i];
    t.series.push_back(MakeSeries("hbm_copy", static_cast<int>(i), {m - 10, m, m + 10}));
  }
  return t;
}

/// An H100 SXM GPU's health readings with nothing to report, as the 8x H100
/// node of tests/testdata/gpu_check/nvml/h100_hgx_healthy.json reads under load.
inline GpuHealth HealthyH100(int gpu) {
  GpuHealth g;
  g.gpu = gpu;
  g.uuid = "GPU-0000000" + std::to_string(gpu);
  g.persistence_mode = true;
  g.mig_mode = false;
  g.ecc_enabled = true;
  for (HealthCounters* c : {&g.before, &g.after}) {
    c->ecc_uncorrected_volatile = 0;
    c->ecc_uncorrected_aggregate = 0;
    c->remapped_rows_uncorrectable = 0;
    c->remap_pending = false;
    c->remap_failure = false;
    c->pcie_replays = 150;
  }
  g.pcie_max_gen = g.pcie_gen_under_load = 5;
  g.pcie_max_width = g.pcie_width_under_load = 16;
  g.load_samples = 40;
  g.clocks_event_reasons = 0;
  g.temperature_max_c = 44;
  g.power_max_w = 380;
  g.power_limit_w = g.default_power_limit_w = 700;
  for (int l = 0; l < 18; ++l) g.nvlinks.push_back({l, true, NvlinkErrorCounts{}, NvlinkErrorCounts{}});
  return g;
}

/// A health test over `n` healthy H100s.
inline TestResult HealthTest(int n) {
  TestResult t;
  t.name = "health";
  HealthSection s;
  s.driver_version = "580.105.08";
  s.cuda_driver_version = "13.0";
  s.load_seconds = 2;
  for (int i = 0; i < n; ++i) s.gpus.push_back(HealthyH100(i));
  t.health = s;
  return t;
}

}  // namespace llm::gpu_check::testing

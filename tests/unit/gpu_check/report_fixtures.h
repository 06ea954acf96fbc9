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

}  // namespace llm::gpu_check::testing

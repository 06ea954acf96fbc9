// HealthReader: where health readings come from. NvmlHealthReader reads the
// driver's NVML; HealthMonitor (health_monitor.h) drives any reader, so the
// orchestration is tested with a scripted reader and the NVML path with the
// fake libnvidia-ml the tests build.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "health.h"
#include "status.h"

namespace llm::gpu_check {

enum class CounterTime { kBefore, kAfter };

class HealthReader {
 public:
  virtual ~HealthReader() = default;

  /// Finds each GPU by UUID; the position in `uuids` is the GPU's number in
  /// every later call. A GPU NVML does not know is an error naming it.
  virtual Status Open(const std::vector<std::string>& uuids) = 0;
  /// Driver and CUDA versions.
  virtual void ReadSoftware(HealthSection& out) = 0;
  /// What does not change during a run: persistence, MIG and ECC modes, the
  /// PCIe link's maximum, NVLink states, temperature thresholds, power limits.
  /// Readings NVML does not support go to out.unsupported.
  virtual void ReadStatic(int gpu, GpuHealth& out) = 0;
  /// ECC, row remapping, retired pages, PCIe replays and NVLink error
  /// counters into out.before or out.after (and out.nvlinks[].before/after).
  virtual void ReadCounters(int gpu, CounterTime when, GpuHealth& out) = 0;
  /// One instant under load: link generation and width, clock event reasons,
  /// temperature, power. Fields NVML cannot give stay nullopt.
  virtual HealthSample Sample(int gpu) = 0;
  /// Registers for XID critical errors on every GPU; the reason when that is
  /// not possible (then no XID can be seen, which the report says).
  virtual std::optional<std::string> WatchXids() = 0;
  /// The XID events delivered since WatchXids, as (gpu, event); never blocks.
  virtual std::vector<std::pair<int, XidEvent>> CollectXids() = 0;
};

}  // namespace llm::gpu_check

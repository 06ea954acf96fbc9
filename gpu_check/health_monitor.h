// HealthMonitor: reads a HealthReader around a run. Begin (right after the
// inventory) takes the "before" counters and starts watching for XID events;
// BeginLoad/EndLoad bracket a load window during which a thread samples every
// GPU (PCIe link, clock event reasons, temperature, power); Finish takes the
// "after" counters and the XIDs delivered meanwhile.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "health.h"
#include "health_reader.h"
#include "status.h"

namespace llm::gpu_check {

struct MonitoredGpu {
  int index = 0;     ///< CUDA index
  std::string uuid;  ///< "GPU-..." as CUDA and NVML both print it
};

class HealthMonitor {
 public:
  /// `reader` must outlive the monitor.
  HealthMonitor(HealthReader& reader, std::vector<MonitoredGpu> gpus);
  HealthMonitor(const HealthMonitor&) = delete;
  HealthMonitor& operator=(const HealthMonitor&) = delete;
  ~HealthMonitor();

  /// Opens the GPUs, reads versions, static readings and counters, and
  /// registers for XIDs. A GPU NVML cannot find is an error.
  Status Begin();
  /// Starts sampling every GPU every `period` (first sample at once).
  void BeginLoad(std::chrono::milliseconds period);
  /// Stops sampling; returns when the sampling thread has ended.
  void EndLoad();
  /// Reads the counters again and collects the XIDs; the readings, no findings.
  HealthSection Finish(double load_seconds);

 private:
  void SampleLoop(std::chrono::milliseconds period);
  void Record(std::size_t gpu, const HealthSample& sample);

  HealthReader& reader_;
  std::vector<MonitoredGpu> gpus_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread sampler_;
  HealthSection section_;
};

}  // namespace llm::gpu_check

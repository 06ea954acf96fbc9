#include "health_monitor.h"

#include <algorithm>

namespace llm::gpu_check {
namespace {

template <typename T>
void KeepMax(std::optional<T>& slot, const std::optional<T>& value) {
  if (value && (!slot || *value > *slot)) slot = value;
}

}  // namespace

HealthMonitor::HealthMonitor(HealthReader& reader, std::vector<MonitoredGpu> gpus)
    : reader_(reader), gpus_(std::move(gpus)) {}

HealthMonitor::~HealthMonitor() { EndLoad(); }

Status HealthMonitor::Begin() {
  std::vector<std::string> uuids;
  for (const MonitoredGpu& g : gpus_) uuids.push_back(g.uuid);
  GC_RETURN_IF_ERROR(reader_.Open(uuids));
  section_ = HealthSection{};
  reader_.ReadSoftware(section_);
  for (std::size_t i = 0; i < gpus_.size(); ++i) {
    GpuHealth g;
    g.gpu = gpus_[i].index;
    g.uuid = gpus_[i].uuid;
    reader_.ReadStatic(static_cast<int>(i), g);
    reader_.ReadCounters(static_cast<int>(i), CounterTime::kBefore, g);
    section_.gpus.push_back(std::move(g));
  }
  if (auto why = reader_.WatchXids()) section_.xid_unavailable = *why;
  return OkStatus();
}

void HealthMonitor::Record(std::size_t gpu, const HealthSample& s) {
  GpuHealth& g = section_.gpus[gpu];
  ++g.load_samples;
  KeepMax(g.pcie_gen_under_load, s.pcie_gen);
  KeepMax(g.pcie_width_under_load, s.pcie_width);
  if (s.clocks_event_reasons) g.clocks_event_reasons = g.clocks_event_reasons.value_or(0) | *s.clocks_event_reasons;
  KeepMax(g.temperature_max_c, s.temperature_c);
  KeepMax(g.power_max_w, s.power_w);
}

void HealthMonitor::SampleLoop(std::chrono::milliseconds period) {
  std::unique_lock lock(mu_);
  while (!stop_) {
    lock.unlock();
    std::vector<HealthSample> samples;
    for (std::size_t i = 0; i < section_.gpus.size(); ++i) samples.push_back(reader_.Sample(static_cast<int>(i)));
    lock.lock();
    for (std::size_t i = 0; i < samples.size(); ++i) Record(i, samples[i]);
    wake_.wait_for(lock, period, [this] { return stop_; });
  }
}

void HealthMonitor::BeginLoad(std::chrono::milliseconds period) {
  EndLoad();
  {
    std::lock_guard lock(mu_);
    stop_ = false;
  }
  sampler_ = std::thread([this, period] { SampleLoop(period); });
}

void HealthMonitor::EndLoad() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (sampler_.joinable()) sampler_.join();
}

HealthSection HealthMonitor::Finish(double load_seconds) {
  EndLoad();
  std::lock_guard lock(mu_);
  section_.load_seconds = load_seconds;
  for (std::size_t i = 0; i < section_.gpus.size(); ++i) {
    reader_.ReadCounters(static_cast<int>(i), CounterTime::kAfter, section_.gpus[i]);
  }
  for (const auto& [gpu, event] : reader_.CollectXids()) {
    // An event NVML could not attribute goes to every GPU rather than nowhere.
    for (std::size_t i = 0; i < section_.gpus.size(); ++i) {
      if (gpu < 0 || static_cast<std::size_t>(gpu) == i) section_.gpus[i].xids.push_back(event);
    }
  }
  return section_;
}

}  // namespace llm::gpu_check

#include "nvml_health_reader.h"

#include <algorithm>

#include <fmt/format.h>

namespace llm::gpu_check {
namespace {

constexpr double kMilliwatt = 1e-3;

}  // namespace

NvmlHealthReader::~NvmlHealthReader() {
  if (events_ != nullptr) nvml_.fn().event_set_free(events_);
}

bool NvmlHealthReader::Check(nvml::Return r, const char* what, GpuHealth& out) const {
  if (r == nvml::kSuccess) return true;
  std::string entry = fmt::format("{}: {}", what, nvml_.ErrorText(r));
  if (std::find(out.unsupported.begin(), out.unsupported.end(), entry) == out.unsupported.end()) {
    out.unsupported.push_back(std::move(entry));
  }
  return false;
}

Status NvmlHealthReader::Open(const std::vector<std::string>& uuids) {
  devices_.clear();
  for (std::size_t i = 0; i < uuids.size(); ++i) {
    nvml::Device device = nullptr;
    const nvml::Return r = nvml_.fn().handle_by_uuid(uuids[i].c_str(), &device);
    if (r != nvml::kSuccess) {
      return Failure(ExitCode::kRuntimeError,
                     fmt::format("gpu {} ({}): nvmlDeviceGetHandleByUUID: {}", i, uuids[i], nvml_.ErrorText(r)));
    }
    devices_.push_back(device);
  }
  return OkStatus();
}

void NvmlHealthReader::ReadSoftware(HealthSection& out) {
  char version[nvml::kDriverVersionBufferSize] = {};
  if (nvml_.fn().system_driver_version(version, sizeof(version)) == nvml::kSuccess) out.driver_version = version;
  int cuda = 0;
  if (nvml_.fn().system_cuda_driver_version(&cuda) == nvml::kSuccess && cuda > 0) {
    out.cuda_driver_version = fmt::format("{}.{}", cuda / 1000, (cuda % 1000) / 10);
  }
}

void NvmlHealthReader::ReadStatic(int gpu, GpuHealth& out) {
  const NvmlFunctions& f = nvml_.fn();
  nvml::Device d = devices_.at(static_cast<std::size_t>(gpu));
  nvml::EnableState state{};
  if (Check(f.persistence_mode(d, &state), "persistence_mode", out))
    out.persistence_mode = state == nvml::kFeatureEnabled;
  unsigned int mig = 0;
  unsigned int mig_pending = 0;
  if (Check(f.mig_mode(d, &mig, &mig_pending), "mig_mode", out)) out.mig_mode = mig == nvml::kMigEnable;
  nvml::EnableState ecc{};
  nvml::EnableState ecc_pending{};
  if (Check(f.ecc_mode(d, &ecc, &ecc_pending), "ecc_mode", out)) out.ecc_enabled = ecc == nvml::kFeatureEnabled;
  unsigned int value = 0;
  if (Check(f.max_pcie_gen(d, &value), "pcie_max_gen", out)) out.pcie_max_gen = static_cast<int>(value);
  if (Check(f.max_pcie_width(d, &value), "pcie_max_width", out)) out.pcie_max_width = static_cast<int>(value);
  if (Check(f.temperature_threshold(d, nvml::kThresholdSlowdown, &value), "slowdown_temperature", out)) {
    out.slowdown_temp_c = static_cast<int>(value);
  }
  if (Check(f.temperature_threshold(d, nvml::kThresholdShutdown, &value), "shutdown_temperature", out)) {
    out.shutdown_temp_c = static_cast<int>(value);
  }
  if (Check(f.enforced_power_limit(d, &value), "power_limit", out)) out.power_limit_w = value * kMilliwatt;
  if (Check(f.default_power_limit(d, &value), "default_power_limit", out)) {
    out.default_power_limit_w = value * kMilliwatt;
  }
  // Links are numbered from 0; a GPU with fewer answers "invalid argument" or
  // "not supported" past its last one, and a PCIe card for link 0 already.
  out.nvlinks.clear();
  for (unsigned int link = 0; link < nvml::kMaxNvLinks; ++link) {
    nvml::EnableState active{};
    const nvml::Return r = f.nvlink_state(d, link, &active);
    if (r != nvml::kSuccess) {
      if (link == 0) Check(r, "nvlink", out);
      break;
    }
    out.nvlinks.push_back(
        NvlinkLink{static_cast<int>(link), active == nvml::kFeatureEnabled, std::nullopt, std::nullopt});
  }
}

void NvmlHealthReader::ReadCounters(int gpu, CounterTime when, GpuHealth& out) {
  const NvmlFunctions& f = nvml_.fn();
  nvml::Device d = devices_.at(static_cast<std::size_t>(gpu));
  HealthCounters& c = when == CounterTime::kBefore ? out.before : out.after;
  c = HealthCounters{};
  unsigned long long count = 0;
  if (Check(f.total_ecc_errors(d, nvml::kMemoryErrorUncorrected, nvml::kVolatileEcc, &count), "ecc_errors", out)) {
    c.ecc_uncorrected_volatile = count;
  }
  if (Check(f.total_ecc_errors(d, nvml::kMemoryErrorUncorrected, nvml::kAggregateEcc, &count), "ecc_errors", out)) {
    c.ecc_uncorrected_aggregate = count;
  }
  if (Check(f.total_ecc_errors(d, nvml::kMemoryErrorCorrected, nvml::kVolatileEcc, &count), "ecc_errors", out)) {
    c.ecc_corrected_volatile = count;
  }
  // With a zero-sized buffer NVML returns the count, as success (none) or as
  // "insufficient size" (some).
  auto retired = [&](nvml::PageRetirementCause cause) -> std::optional<std::uint32_t> {
    unsigned int pages = 0;
    const nvml::Return r = f.retired_pages(d, cause, &pages, nullptr);
    if (r == nvml::kSuccess || r == nvml::kErrorInsufficientSize) return pages;
    Check(r, "retired_pages", out);
    return std::nullopt;
  };
  c.retired_pages_sbe = retired(nvml::kRetiredMultipleSingleBit);
  c.retired_pages_dbe = retired(nvml::kRetiredDoubleBit);
  nvml::EnableState pending{};
  if (Check(f.retired_pages_pending(d, &pending), "retired_pages", out)) {
    c.retired_pages_pending = pending == nvml::kFeatureEnabled;
  }
  unsigned int corr = 0, unc = 0, is_pending = 0, failure = 0;
  if (Check(f.remapped_rows(d, &corr, &unc, &is_pending, &failure), "remapped_rows", out)) {
    c.remapped_rows_correctable = corr;
    c.remapped_rows_uncorrectable = unc;
    c.remap_pending = is_pending != 0;
    c.remap_failure = failure != 0;
  }
  unsigned int replays = 0;
  if (Check(f.pcie_replays(d, &replays), "pcie_replays", out)) c.pcie_replays = replays;
  for (NvlinkLink& link : out.nvlinks) {
    unsigned long long values[4] = {};
    const nvml::NvLinkErrorCounter kinds[4] = {nvml::kNvLinkReplay, nvml::kNvLinkRecovery, nvml::kNvLinkCrcFlit,
                                               nvml::kNvLinkCrcData};
    bool ok = true;
    for (int k = 0; k < 4 && ok; ++k) {
      ok = Check(f.nvlink_error_counter(d, static_cast<unsigned int>(link.link), kinds[k], &values[k]), "nvlink_errors",
                 out);
    }
    const NvlinkErrorCounts counts{values[0], values[1], values[2], values[3]};
    std::optional<NvlinkErrorCounts>& slot = when == CounterTime::kBefore ? link.before : link.after;
    slot = ok ? std::optional<NvlinkErrorCounts>(counts) : std::nullopt;
  }
}

HealthSample NvmlHealthReader::Sample(int gpu) {
  const NvmlFunctions& f = nvml_.fn();
  nvml::Device d = devices_.at(static_cast<std::size_t>(gpu));
  HealthSample s;
  unsigned int value = 0;
  if (f.curr_pcie_gen(d, &value) == nvml::kSuccess) s.pcie_gen = static_cast<int>(value);
  if (f.curr_pcie_width(d, &value) == nvml::kSuccess) s.pcie_width = static_cast<int>(value);
  unsigned long long reasons = 0;
  if (f.clocks_event_reasons(d, &reasons) == nvml::kSuccess) s.clocks_event_reasons = reasons;
  if (f.temperature(d, nvml::kTemperatureGpu, &value) == nvml::kSuccess) s.temperature_c = static_cast<int>(value);
  if (f.power_usage(d, &value) == nvml::kSuccess) s.power_w = value * kMilliwatt;
  return s;
}

std::optional<std::string> NvmlHealthReader::WatchXids() {
  const NvmlFunctions& f = nvml_.fn();
  if (events_ == nullptr) {
    const nvml::Return r = f.event_set_create(&events_);
    if (r != nvml::kSuccess) {
      events_ = nullptr;
      return fmt::format("nvmlEventSetCreate: {}", nvml_.ErrorText(r));
    }
  }
  for (std::size_t i = 0; i < devices_.size(); ++i) {
    const nvml::Return r = f.register_events(devices_[i], nvml::kEventTypeXidCriticalError, events_);
    if (r != nvml::kSuccess) return fmt::format("gpu {}: nvmlDeviceRegisterEvents: {}", i, nvml_.ErrorText(r));
  }
  return std::nullopt;
}

std::vector<std::pair<int, XidEvent>> NvmlHealthReader::CollectXids() {
  std::vector<std::pair<int, XidEvent>> events;
  if (events_ == nullptr) return events;
  // Timeout 0: take what is queued and stop at "timeout" (nothing more).
  for (int guard = 0; guard < 10000; ++guard) {
    nvml::EventData data{};
    if (nvml_.fn().event_set_wait(events_, &data, 0) != nvml::kSuccess) break;
    if ((data.eventType & nvml::kEventTypeXidCriticalError) == 0) continue;
    const auto it = std::find(devices_.begin(), devices_.end(), data.device);
    const int gpu = it == devices_.end() ? -1 : static_cast<int>(it - devices_.begin());
    events.emplace_back(gpu, XidEvent{data.eventData});
  }
  return events;
}

}  // namespace llm::gpu_check

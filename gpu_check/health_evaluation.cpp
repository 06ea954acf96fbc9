#include "health_evaluation.h"

#include <fmt/format.h>

#include "nvml_api.h"

namespace llm::gpu_check {
namespace {

constexpr std::uint64_t kHwSlowdownBits =
    nvml::kClocksEventHwSlowdown | nvml::kClocksEventHwThermalSlowdown | nvml::kClocksEventHwPowerBrakeSlowdown;

class Findings {
 public:
  explicit Findings(std::vector<HealthFinding>& out) : out_(out) {}
  void Fail(int gpu, std::string_view rule, ExitCode code, std::string message) {
    out_.push_back({gpu, std::string(rule), FindingSeverity::kFail, code, std::move(message)});
  }
  void Warn(int gpu, std::string_view rule, std::string message) {
    out_.push_back({gpu, std::string(rule), FindingSeverity::kWarn, ExitCode::kPass, std::move(message)});
  }

 private:
  std::vector<HealthFinding>& out_;
};

template <typename T>
std::optional<T> Delta(const std::optional<T>& before, const std::optional<T>& after) {
  if (!before || !after || *after < *before) return std::nullopt;
  return *after - *before;
}

void MemoryRules(const GpuHealth& g, Findings& f) {
  const HealthCounters& now = g.after;
  const int i = g.gpu;
  if (now.ecc_uncorrected_volatile.value_or(0) > 0) {
    const auto during = Delta(g.before.ecc_uncorrected_volatile, now.ecc_uncorrected_volatile);
    f.Fail(i, kRuleEccUncorrectable, ExitCode::kCorruption,
           fmt::format("gpu {}: {} uncorrectable ECC errors since the driver loaded ({} during this run)", i,
                       *now.ecc_uncorrected_volatile, during.value_or(0)));
  } else if (now.ecc_uncorrected_aggregate.value_or(0) > 0) {
    f.Warn(i, kRuleEccHistory,
           fmt::format("gpu {}: {} uncorrectable ECC errors over the GPU's life, none since the driver loaded", i,
                       *now.ecc_uncorrected_aggregate));
  }
  if (g.ecc_enabled == false) f.Warn(i, kRuleEccDisabled, fmt::format("gpu {}: ECC is disabled", i));
  if (now.remap_pending == true) {
    f.Fail(i, kRuleRowRemapPending, ExitCode::kCorruption,
           fmt::format("gpu {}: a row remap is pending ({} rows remapped for uncorrectable errors): reset the GPU", i,
                       now.remapped_rows_uncorrectable.value_or(0)));
  }
  if (now.remap_failure == true) {
    f.Fail(i, kRuleRowRemapFailure, ExitCode::kCorruption,
           fmt::format("gpu {}: row remapping failed: the memory can no longer repair itself", i));
  }
  if (now.retired_pages_pending == true) {
    f.Fail(i, kRuleRetiredPagesPending, ExitCode::kCorruption,
           fmt::format("gpu {}: retired pages are pending: reset the GPU", i));
  }
}

void PcieRules(const GpuHealth& g, const HealthRules& r, Findings& f) {
  const int i = g.gpu;
  if (g.pcie_max_gen && g.pcie_max_width &&
      ((r.pcie_min_gen && *g.pcie_max_gen < *r.pcie_min_gen) ||
       (r.pcie_min_width && *g.pcie_max_width < *r.pcie_min_width))) {
    f.Fail(i, kRulePcieBelowModel, ExitCode::kTopology,
           fmt::format("gpu {}: the PCIe link can reach at most Gen{} x{} in this slot; this model needs Gen{} x{}", i,
                       *g.pcie_max_gen, *g.pcie_max_width, r.pcie_min_gen.value_or(*g.pcie_max_gen),
                       r.pcie_min_width.value_or(*g.pcie_max_width)));
  }
  if (g.load_samples == 0) {
    f.Warn(i, kRulePcieNotLoaded, fmt::format("gpu {}: no reading was taken under load; the link was not judged", i));
  } else if (g.pcie_gen_under_load && g.pcie_width_under_load && g.pcie_max_gen && g.pcie_max_width &&
             (*g.pcie_gen_under_load < *g.pcie_max_gen || *g.pcie_width_under_load < *g.pcie_max_width)) {
    f.Fail(i, kRulePcieDowntrained, ExitCode::kTopology,
           fmt::format("gpu {}: PCIe link at Gen{} x{} under load, below its maximum of Gen{} x{}", i,
                       *g.pcie_gen_under_load, *g.pcie_width_under_load, *g.pcie_max_gen, *g.pcie_max_width));
  }
  if (const auto replays = Delta(g.before.pcie_replays, g.after.pcie_replays); replays && *replays > 0) {
    if (*replays > r.pcie_replays_max) {
      f.Fail(i, kRulePcieReplays, ExitCode::kTopology,
             fmt::format("gpu {}: {} PCIe replays during the run (more than {})", i, *replays, r.pcie_replays_max));
    } else {
      f.Warn(i, kRulePcieReplays, fmt::format("gpu {}: {} PCIe replays during the run", i, *replays));
    }
  }
}

void NvlinkRules(const GpuHealth& g, const HealthRules& r, int gpu_count, Findings& f) {
  const int i = g.gpu;
  int active = 0;
  for (const NvlinkLink& l : g.nvlinks) active += l.active ? 1 : 0;
  if (gpu_count >= 2 && r.nvlink_min_active > 0 && active < r.nvlink_min_active) {
    std::string down;
    for (const NvlinkLink& l : g.nvlinks) {
      if (!l.active) down += fmt::format("{}{}", down.empty() ? "" : ",", l.link);
    }
    f.Fail(i, kRuleNvlinkDown, ExitCode::kTopology,
           fmt::format("gpu {}: {} of {} NVLinks active{}", i, active, r.nvlink_min_active,
                       down.empty() ? std::string() : fmt::format(" (down: {})", down)));
  }
  for (const NvlinkLink& l : g.nvlinks) {
    if (!l.before || !l.after) continue;
    const std::pair<const char*, std::uint64_t> counters[] = {
        {"replay", l.after->replay - std::min(l.after->replay, l.before->replay)},
        {"recovery", l.after->recovery - std::min(l.after->recovery, l.before->recovery)},
        {"CRC flit", l.after->crc_flit - std::min(l.after->crc_flit, l.before->crc_flit)},
        {"CRC data", l.after->crc_data - std::min(l.after->crc_data, l.before->crc_data)}};
    std::string rising;
    for (const auto& [name, delta] : counters) {
      if (delta > r.nvlink_error_delta_max) rising += fmt::format("{}{} +{}", rising.empty() ? "" : ", ", name, delta);
    }
    if (!rising.empty()) {
      f.Fail(i, kRuleNvlinkErrors, ExitCode::kTopology,
             fmt::format("gpu {}: NVLink {} counted errors during the run: {}", i, l.link, rising));
    }
  }
}

void LoadRules(const GpuHealth& g, const HealthRules& r, Findings& f) {
  const int i = g.gpu;
  const std::uint64_t reasons = g.clocks_event_reasons.value_or(0);
  if ((reasons & kHwSlowdownBits) != 0) {
    f.Fail(i, kRuleHwSlowdown, ExitCode::kBelowFloor,
           fmt::format("gpu {}: clocks held down under load: {}", i, ClockEventReasonNames(reasons & kHwSlowdownBits)));
  }
  if ((reasons & nvml::kClocksEventSwThermalSlowdown) != 0) {
    f.Warn(i, kRuleSwThermalSlowdown, fmt::format("gpu {}: SW thermal slowdown under load", i));
  }
  if (g.temperature_max_c && g.slowdown_temp_c) {
    if (*g.temperature_max_c >= *g.slowdown_temp_c) {
      f.Fail(i, kRuleTemperature, ExitCode::kBelowFloor,
             fmt::format("gpu {}: {} C under load, at or above the slowdown temperature of {} C", i,
                         *g.temperature_max_c, *g.slowdown_temp_c));
    } else if (*g.temperature_max_c >= *g.slowdown_temp_c - r.temperature_margin_c) {
      f.Warn(i, kRuleTemperature,
             fmt::format("gpu {}: {} C under load, within {} C of the slowdown temperature of {} C", i,
                         *g.temperature_max_c, r.temperature_margin_c, *g.slowdown_temp_c));
    }
  }
  if (g.power_limit_w && g.default_power_limit_w && *g.power_limit_w < *g.default_power_limit_w - 1.0) {
    f.Warn(i, kRulePowerLimitLowered,
           fmt::format("gpu {}: power limit {:.0f} W, below the default of {:.0f} W", i, *g.power_limit_w,
                       *g.default_power_limit_w));
  }
}

}  // namespace

std::string ClockEventReasonNames(std::uint64_t reasons) {
  static constexpr std::pair<std::uint64_t, const char*> kNames[] = {
      {nvml::kClocksEventGpuIdle, "idle"},
      {nvml::kClocksEventApplicationsClocksSetting, "applications clocks setting"},
      {nvml::kClocksEventSwPowerCap, "SW power cap"},
      {nvml::kClocksEventHwSlowdown, "HW slowdown"},
      {nvml::kClocksEventSyncBoost, "sync boost"},
      {nvml::kClocksEventSwThermalSlowdown, "SW thermal slowdown"},
      {nvml::kClocksEventHwThermalSlowdown, "HW thermal slowdown"},
      {nvml::kClocksEventHwPowerBrakeSlowdown, "HW power brake slowdown"},
      {nvml::kClocksEventDisplayClockSetting, "display clock setting"},
  };
  std::string out;
  for (const auto& [bit, name] : kNames) {
    if ((reasons & bit) != 0) out += fmt::format("{}{}", out.empty() ? "" : ", ", name);
  }
  return out;
}

std::string_view FindingSeverityName(FindingSeverity severity) {
  return severity == FindingSeverity::kFail ? "fail" : "warn";
}

void EvaluateHealth(HealthSection& section, const std::vector<HealthRules>& rules, int gpu_count) {
  section.findings.clear();
  Findings f(section.findings);
  if (!section.xid_unavailable.empty()) {
    f.Warn(-1, kRuleXidUnwatched, "XID events could not be watched: " + section.xid_unavailable);
  }
  for (const GpuHealth& g : section.gpus) {
    const HealthRules r = g.gpu >= 0 && static_cast<std::size_t>(g.gpu) < rules.size()
                              ? rules[static_cast<std::size_t>(g.gpu)]
                              : HealthRules{};
    MemoryRules(g, f);
    PcieRules(g, r, f);
    NvlinkRules(g, r, gpu_count, f);
    if (!g.xids.empty()) {
      std::string xids;
      for (const XidEvent& e : g.xids) xids += fmt::format("{}{}", xids.empty() ? "" : ", ", e.xid);
      f.Fail(g.gpu, kRuleXid, ExitCode::kRuntimeError, fmt::format("gpu {}: XID {} during the run", g.gpu, xids));
    }
    LoadRules(g, r, f);
    if (g.persistence_mode == false) {
      f.Warn(g.gpu, kRulePersistenceOff, fmt::format("gpu {}: persistence mode is off", g.gpu));
    }
    if (g.mig_mode == true) f.Warn(g.gpu, kRuleMigEnabled, fmt::format("gpu {}: MIG mode is enabled", g.gpu));
  }
}

}  // namespace llm::gpu_check

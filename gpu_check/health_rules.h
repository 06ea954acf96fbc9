// Health rules: the per-model numbers (in the thresholds table) and the keys
// of the rules EvaluateHealth applies. Keys are a contract: they appear in the
// JSON document, the termination summary and validate-nodes' report.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace llm::gpu_check {

/// The numbers the health rules use for one GPU model (thresholds.h).
struct HealthRules {
  /// The link this model must have: a slot whose maximum (NVML: this GPU in
  /// this system) is below fails, e.g. an H100 in a Gen4 or x8 slot. nullopt:
  /// only "below its own maximum under load" is judged.
  std::optional<int> pcie_min_gen;
  std::optional<int> pcie_min_width;
  /// Active NVLinks a GPU must have on a node with two or more GPUs (0: not
  /// judged). On a one-GPU node the links lead nowhere and are only reported.
  int nvlink_min_active = 0;
  /// Increase of any NVLink error counter (replay, recovery, CRC) on one link
  /// during the run that is still tolerated.
  std::uint64_t nvlink_error_delta_max = 0;
  /// PCIe replays during the run above which the link fails (DCGM's pcie
  /// plugin default for max_pcie_replays); any replay at all is a warning.
  std::uint32_t pcie_replays_max = 80;
  /// Warn when the hottest reading under load is this close to the slowdown
  /// temperature (and fail at or above it).
  int temperature_margin_c = 5;

  bool operator==(const HealthRules&) const = default;
};

// Failing rules (the exit code each earns is in health_evaluation.cpp).
inline constexpr std::string_view kRuleEccUncorrectable = "ecc_uncorrectable";
inline constexpr std::string_view kRuleRowRemapPending = "row_remap_pending";
inline constexpr std::string_view kRuleRowRemapFailure = "row_remap_failure";
inline constexpr std::string_view kRuleRetiredPagesPending = "retired_pages_pending";
inline constexpr std::string_view kRulePcieDowntrained = "pcie_link_downtrained";
inline constexpr std::string_view kRulePcieBelowModel = "pcie_link_below_model";
inline constexpr std::string_view kRulePcieReplays = "pcie_replays";
inline constexpr std::string_view kRuleNvlinkDown = "nvlink_down";
inline constexpr std::string_view kRuleNvlinkErrors = "nvlink_errors";
inline constexpr std::string_view kRuleXid = "xid";
inline constexpr std::string_view kRuleHwSlowdown = "hw_slowdown";
inline constexpr std::string_view kRuleTemperature = "temperature";
// Warnings only.
inline constexpr std::string_view kRuleEccHistory = "ecc_uncorrectable_history";
inline constexpr std::string_view kRuleEccDisabled = "ecc_disabled";
inline constexpr std::string_view kRuleSwThermalSlowdown = "sw_thermal_slowdown";
inline constexpr std::string_view kRulePowerLimitLowered = "power_limit_lowered";
inline constexpr std::string_view kRulePersistenceOff = "persistence_mode_off";
inline constexpr std::string_view kRuleMigEnabled = "mig_enabled";
inline constexpr std::string_view kRulePcieNotLoaded = "pcie_link_not_loaded";
inline constexpr std::string_view kRuleXidUnwatched = "xid_unwatched";

/// Every rule key (documentation and tests).
inline constexpr std::array<std::string_view, 20> kAllHealthRules = {kRuleEccUncorrectable,  kRuleRowRemapPending,
                                                                     kRuleRowRemapFailure,   kRuleRetiredPagesPending,
                                                                     kRulePcieDowntrained,   kRulePcieBelowModel,
                                                                     kRulePcieReplays,       kRuleNvlinkDown,
                                                                     kRuleNvlinkErrors,      kRuleXid,
                                                                     kRuleHwSlowdown,        kRuleTemperature,
                                                                     kRuleEccHistory,        kRuleEccDisabled,
                                                                     kRuleSwThermalSlowdown, kRulePowerLimitLowered,
                                                                     kRulePersistenceOff,    kRuleMigEnabled,
                                                                     kRulePcieNotLoaded,     kRuleXidUnwatched};

}  // namespace llm::gpu_check

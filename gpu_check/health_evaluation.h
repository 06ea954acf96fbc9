// EvaluateHealth: the health rules over the readings. Pure, so every rule has
// a unit test that trips it (tests/unit/gpu_check/health_evaluation_test.cpp).
#pragma once

#include <vector>

#include "health.h"
#include "health_rules.h"

namespace llm::gpu_check {

/// Replaces section.findings. `rules[i]` applies to the GPU with CUDA index i
/// (a default HealthRules past the end); `gpu_count` is the node's GPU count.
///
/// Failing rules and the exit code each earns:
///  - ecc_uncorrectable (2): uncorrectable ECC errors since the driver loaded;
///  - row_remap_pending (2): a row waits for a GPU reset to be remapped;
///  - row_remap_failure (2): a remap failed (NVIDIA's criterion for RMA);
///  - retired_pages_pending (2): pre-Ampere pages wait for retirement;
///  - pcie_link_downtrained (3): under load the link ran below its maximum;
///  - pcie_link_below_model (3): the slot's maximum is below the model's link;
///  - pcie_replays (3): more replays during the run than pcie_replays_max;
///  - nvlink_down (3): fewer active links than nvlink_min_active (2+ GPUs);
///  - nvlink_errors (3): an NVLink error counter rose during the run;
///  - xid (5): an XID critical error was delivered during the run;
///  - hw_slowdown (1): HW slowdown, HW thermal or HW power brake under load;
///  - temperature (1): at or above the slowdown temperature under load.
/// Warnings (the verdict stays pass): ecc_uncorrectable_history,
/// ecc_disabled, sw_thermal_slowdown, power_limit_lowered, persistence_mode_off,
/// mig_enabled, pcie_link_not_loaded, xid_unwatched, a temperature within
/// temperature_margin_c of slowdown, and any PCIe replay at all.
void EvaluateHealth(HealthSection& section, const std::vector<HealthRules>& rules, int gpu_count);

/// The names of the set clock event reason bits: "HW slowdown, SW power cap".
std::string ClockEventReasonNames(std::uint64_t reasons);

}  // namespace llm::gpu_check

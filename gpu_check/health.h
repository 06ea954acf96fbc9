// Health readings: what NVML says about each GPU around a run (ECC, row
// remapping, PCIe link, NVLink, clock event reasons, temperature, power, XID
// events), and the findings the rules draw from them. Plain data, like
// report.h: the reader fills the readings, EvaluateHealth the findings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "exit_code.h"

namespace llm::gpu_check {

/// Counters that are read before and after the run; nullopt: the GPU or the
/// driver does not report it (named in GpuHealth::unsupported).
struct HealthCounters {
  std::optional<std::uint64_t> ecc_uncorrected_volatile;   ///< since the driver loaded
  std::optional<std::uint64_t> ecc_uncorrected_aggregate;  ///< over the GPU's life
  std::optional<std::uint64_t> ecc_corrected_volatile;
  std::optional<std::uint32_t> retired_pages_sbe;  ///< pre-Ampere page retirement
  std::optional<std::uint32_t> retired_pages_dbe;
  std::optional<bool> retired_pages_pending;
  std::optional<std::uint32_t> remapped_rows_correctable;  ///< Ampere and later row remapping
  std::optional<std::uint32_t> remapped_rows_uncorrectable;
  std::optional<bool> remap_pending;  ///< a row waits for a GPU reset to be remapped
  std::optional<bool> remap_failure;  ///< a remap failed: the memory cannot repair itself any more
  std::optional<std::uint32_t> pcie_replays;
};

struct NvlinkErrorCounts {
  std::uint64_t replay = 0;
  std::uint64_t recovery = 0;
  std::uint64_t crc_flit = 0;
  std::uint64_t crc_data = 0;
  bool operator==(const NvlinkErrorCounts&) const = default;
};

/// One NVLink that NVML reports for the GPU.
struct NvlinkLink {
  int link = 0;
  bool active = false;
  std::optional<NvlinkErrorCounts> before;  ///< nullopt: the counters are not supported
  std::optional<NvlinkErrorCounts> after;
};

/// One XID critical-error event delivered while the run was watched.
struct XidEvent {
  std::uint64_t xid = 0;
};

/// What the NVML reader returns at one instant of load (HealthReader::Sample).
struct HealthSample {
  std::optional<int> pcie_gen;
  std::optional<int> pcie_width;
  std::optional<std::uint64_t> clocks_event_reasons;  ///< nvmlClocksEventReason* bits
  std::optional<int> temperature_c;
  std::optional<double> power_w;
};

struct GpuHealth {
  int gpu = 0;  ///< CUDA index, as elsewhere in the report
  std::string uuid;
  std::optional<bool> persistence_mode;
  std::optional<bool> mig_mode;
  std::optional<bool> ecc_enabled;
  HealthCounters before;
  HealthCounters after;
  std::vector<NvlinkLink> nvlinks;
  /// The link's maximum with this GPU in this system (nvmlDeviceGetMaxPcieLink*).
  std::optional<int> pcie_max_gen;
  std::optional<int> pcie_max_width;
  /// The best generation and width seen while the link was being loaded; idle
  /// links train down, so only loaded readings say anything.
  std::optional<int> pcie_gen_under_load;
  std::optional<int> pcie_width_under_load;
  int load_samples = 0;  ///< samples taken under load
  /// Every clock event reason seen under load (OR of the samples' bits).
  std::optional<std::uint64_t> clocks_event_reasons;
  std::optional<int> temperature_max_c;  ///< highest under load
  std::optional<int> slowdown_temp_c;
  std::optional<int> shutdown_temp_c;
  std::optional<double> power_max_w;    ///< highest under load
  std::optional<double> power_limit_w;  ///< enforced
  std::optional<double> default_power_limit_w;
  std::vector<XidEvent> xids;
  /// Readings the GPU or the driver does not provide, with NVML's answer
  /// ("remapped_rows: Not Supported"): no rule can trip on them.
  std::vector<std::string> unsupported;
};

enum class FindingSeverity { kWarn, kFail };

/// "warn", "fail".
std::string_view FindingSeverityName(FindingSeverity severity);

struct HealthFinding {
  int gpu = 0;
  std::string rule;  ///< a key from health_rules.h (kRule*)
  FindingSeverity severity = FindingSeverity::kWarn;
  ExitCode code = ExitCode::kPass;  ///< what a failing finding contributes; kPass for warnings
  std::string message;              ///< one line, naming the GPU and the figures
  bool operator==(const HealthFinding&) const = default;
};

/// The health test's section of the report.
struct HealthSection {
  std::string driver_version;       ///< "580.159.04" (nvmlSystemGetDriverVersion)
  std::string cuda_driver_version;  ///< "13.0" (nvmlSystemGetCudaDriverVersion_v2)
  double load_seconds = 0;          ///< length of the load window the health check drove itself
  /// Why XID events could not be watched ("" when they were): then none can
  /// be seen, which is not the same as none having happened.
  std::string xid_unavailable;
  std::vector<GpuHealth> gpus;
  std::vector<HealthFinding> findings;  ///< filled by EvaluateHealth
};

}  // namespace llm::gpu_check

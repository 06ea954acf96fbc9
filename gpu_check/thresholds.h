// Thresholds: bandwidth floors per GPU model and the outlier ratio. One
// embedded table chosen from the PCI device id or the device name, so no conf
// file per VM size is needed; --thresholds FILE overrides or extends it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "health_rules.h"
#include "status.h"

namespace llm::gpu_check {

/// Floors of one GPU model in GB/s and its health rules, keyed by metric (metrics.h). A metric
/// without a floor is judged only against the node median.
struct ModelThresholds {
  std::string model;                          ///< "H100-SXM"
  std::vector<std::uint32_t> pci_device_ids;  ///< matched first
  std::vector<std::string> name_patterns;     ///< case-insensitive substrings of the device name
  std::map<std::string, double, std::less<>> floors;
  int nccl_floor_ranks = 8;  ///< the NCCL floors hold for this many ranks on one node
  HealthRules health = {};   ///< the health check's per-model numbers
};

struct ThresholdTable {
  double outlier_ratio = 0.85;          ///< below this fraction of the node median is an outlier
  std::vector<ModelThresholds> models;  ///< searched in order

  /// The entry for a device: by PCI device id, then by name; nullptr when none matches.
  const ModelThresholds* Match(std::string_view device_name, std::uint32_t pci_device_id) const;
};

/// The embedded table (A100, H100, H200, B200; see gpu_check/README.md for the sources).
ThresholdTable BuiltinThresholds();

/// Applies a --thresholds JSON document to `base`:
///   {"outlier_ratio": 0.8,
///    "models": {"H100-SXM": {"floors": {"hbm_copy": 2400, "p2p_bidir": null}},
///               "L40S": {"pci_device_ids": ["0x26b9"], "name_patterns": ["L40S"],
///                        "floors": {"h2d": 20}},
///               "H200-SXM": {"health": {"pcie_min_gen": 5, "nvlink_min_active": 18}}}}
/// Known models are merged field by field (a null floor removes it); unknown
/// models are appended. Errors name the field and what is accepted.
Result<ThresholdTable> ApplyThresholdOverrides(ThresholdTable base, std::string_view json_text);

}  // namespace llm::gpu_check

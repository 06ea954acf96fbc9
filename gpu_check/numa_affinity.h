// NUMA placement of pinned host buffers: the pcie test allocates each GPU's
// host buffer while the thread runs on that GPU's NUMA node, so first-touch
// puts the pages there (nvbandwidth's practice; no libnuma needed).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "status.h"

namespace llm::gpu_check {

/// Parses a kernel CPU list such as "0-3,8,10-11" into sorted CPU numbers.
Result<std::vector<int>> ParseCpuList(std::string_view text);

/// "0000:18:00.0" as sysfs names it: lower case, 4-digit domain.
std::string SysfsPciName(std::string_view pci_bus_id);

/// Reads sysfs below `sysfs_root` (normally "/sys"); tests point it at a folder.
class SysfsTopology {
 public:
  explicit SysfsTopology(std::string sysfs_root) : root_(std::move(sysfs_root)) {}

  /// NUMA node of a PCI device ("0000:18:00.0" or NVML's "00000000:18:00.0", any case), nullopt when the
  /// kernel does not know (-1) or the file is missing.
  std::optional<int> NumaNodeOfPciDevice(std::string_view pci_bus_id) const;

  /// The PCI device id (e.g. 0x2330) from .../device, nullopt when unreadable.
  std::optional<std::uint32_t> PciDeviceId(std::string_view pci_bus_id) const;

  /// CPUs of a NUMA node.
  Result<std::vector<int>> CpusOfNumaNode(int node) const;

 private:
  std::string root_;
};

}  // namespace llm::gpu_check

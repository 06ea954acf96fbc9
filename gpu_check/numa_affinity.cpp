#include "numa_affinity.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace llm::gpu_check {
namespace {

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  return text;
}

std::optional<int> ToInt(std::string_view s) {
  int v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

Result<std::vector<int>> ParseCpuList(std::string_view text) {
  std::vector<int> cpus;
  auto bad = [&] { return Failure(ExitCode::kRuntimeError, fmt::format("CPU list \"{}\" is malformed", text)); };
  if (text.empty()) return cpus;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view part = text.substr(start, comma - start);
    const std::size_t dash = part.find('-');
    auto lo = ToInt(part.substr(0, dash));
    auto hi = dash == std::string_view::npos ? lo : ToInt(part.substr(dash + 1));
    if (!lo || !hi || *lo < 0 || *hi < *lo) return bad();
    for (int c = *lo; c <= *hi; ++c) cpus.push_back(c);
    start = comma + 1;
  }
  std::sort(cpus.begin(), cpus.end());
  cpus.erase(std::unique(cpus.begin(), cpus.end()), cpus.end());
  return cpus;
}

std::string SysfsPciName(std::string_view pci_bus_id) {
  std::string id(pci_bus_id);
  std::transform(id.begin(), id.end(), id.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  // NVML spells the domain with 8 digits ("00000000:18:00.0"), sysfs with 4.
  if (id.find(':') == 8 && id.starts_with("0000")) id.erase(0, 4);
  return id;
}

std::optional<std::uint32_t> SysfsTopology::PciDeviceId(std::string_view pci_bus_id) const {
  auto text = ReadFile(root_ + "/bus/pci/devices/" + SysfsPciName(pci_bus_id) + "/device");
  if (!text) return std::nullopt;
  std::string_view digits = *text;
  if (digits.starts_with("0x")) digits.remove_prefix(2);
  std::uint32_t id = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id, 16);
  if (ec != std::errc() || ptr != digits.data() + digits.size() || digits.empty()) return std::nullopt;
  return id;
}

std::optional<int> SysfsTopology::NumaNodeOfPciDevice(std::string_view pci_bus_id) const {
  auto text = ReadFile(root_ + "/bus/pci/devices/" + SysfsPciName(pci_bus_id) + "/numa_node");
  if (!text) return std::nullopt;
  auto node = ToInt(*text);
  if (!node || *node < 0) return std::nullopt;
  return node;
}

Result<std::vector<int>> SysfsTopology::CpusOfNumaNode(int node) const {
  const std::string path = fmt::format("{}/devices/system/node/node{}/cpulist", root_, node);
  auto text = ReadFile(path);
  if (!text) return Failure(ExitCode::kRuntimeError, "cannot read " + path);
  return ParseCpuList(*text);
}

}  // namespace llm::gpu_check

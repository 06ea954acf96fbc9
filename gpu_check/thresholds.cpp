#include "thresholds.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "metrics.h"

namespace llm::gpu_check {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

Failure BadFile(const std::string& message) { return Failure(ExitCode::kUsage, "--thresholds: " + message); }

Result<std::uint32_t> ParsePciId(const nlohmann::json& value, const std::string& where) {
  if (value.is_number_unsigned()) return value.get<std::uint32_t>();
  if (value.is_string()) {
    std::string text = value.get<std::string>();
    std::string_view digits = text;
    if (digits.starts_with("0x") || digits.starts_with("0X")) digits.remove_prefix(2);
    std::uint32_t id = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id, 16);
    if (ec == std::errc() && ptr == digits.data() + digits.size() && !digits.empty() && id <= 0xffff) {
      return id;
    }
  }
  return BadFile(fmt::format("{}: a PCI device id is a hex string such as \"0x2330\"", where));
}

Status MergeHealth(HealthRules& rules, const nlohmann::json& spec, const std::string& where) {
  if (!spec.is_object()) return BadFile(where + ": must be an object of rule settings");
  for (const auto& [key, value] : spec.items()) {
    const std::string field = where + "." + key;
    auto count = [&](long long min, long long max) -> Result<long long> {
      if (!value.is_number_integer() || value.get<long long>() < min || value.get<long long>() > max) {
        return BadFile(fmt::format("{}: must be an integer from {} to {}", field, min, max));
      }
      return value.get<long long>();
    };
    if (key == "pcie_min_gen" || key == "pcie_min_width") {
      std::optional<int>& slot = key == "pcie_min_gen" ? rules.pcie_min_gen : rules.pcie_min_width;
      if (value.is_null()) {
        slot.reset();
      } else {
        GC_ASSIGN_OR_RETURN(long long v, count(1, key == "pcie_min_gen" ? 7 : 32));
        slot = static_cast<int>(v);
      }
    } else if (key == "nvlink_min_active") {
      GC_ASSIGN_OR_RETURN(long long v, count(0, 18));
      rules.nvlink_min_active = static_cast<int>(v);
    } else if (key == "nvlink_error_delta_max") {
      GC_ASSIGN_OR_RETURN(long long v, count(0, 1LL << 40));
      rules.nvlink_error_delta_max = static_cast<std::uint64_t>(v);
    } else if (key == "pcie_replays_max") {
      GC_ASSIGN_OR_RETURN(long long v, count(0, 1LL << 31));
      rules.pcie_replays_max = static_cast<std::uint32_t>(v);
    } else if (key == "temperature_margin_c") {
      GC_ASSIGN_OR_RETURN(long long v, count(0, 100));
      rules.temperature_margin_c = static_cast<int>(v);
    } else {
      return BadFile(field +
                     ": unknown field; accepted: pcie_min_gen, pcie_min_width, nvlink_min_active, "
                     "nvlink_error_delta_max, pcie_replays_max, temperature_margin_c");
    }
  }
  return OkStatus();
}

Status MergeModel(ModelThresholds& model, const nlohmann::json& spec, const std::string& where) {
  if (!spec.is_object()) return BadFile(where + ": must be an object");
  for (const auto& [key, value] : spec.items()) {
    const std::string field = where + "." + key;
    if (key == "pci_device_ids") {
      if (!value.is_array()) return BadFile(field + ": must be an array of hex strings");
      model.pci_device_ids.clear();
      for (const auto& id : value) {
        GC_ASSIGN_OR_RETURN(std::uint32_t parsed, ParsePciId(id, field));
        model.pci_device_ids.push_back(parsed);
      }
    } else if (key == "name_patterns") {
      if (!value.is_array()) return BadFile(field + ": must be an array of strings");
      model.name_patterns.clear();
      for (const auto& p : value) {
        if (!p.is_string() || p.get<std::string>().empty()) {
          return BadFile(field + ": must be an array of non-empty strings");
        }
        model.name_patterns.push_back(p.get<std::string>());
      }
    } else if (key == "nccl_floor_ranks") {
      if (!value.is_number_integer() || value.get<int>() < 1) {
        return BadFile(field + ": must be a positive integer");
      }
      model.nccl_floor_ranks = value.get<int>();
    } else if (key == "floors") {
      if (!value.is_object()) return BadFile(field + ": must be an object of metric: GB/s");
      for (const auto& [metric, floor] : value.items()) {
        if (std::find(kAllMetrics.begin(), kAllMetrics.end(), metric) == kAllMetrics.end()) {
          return BadFile(
              fmt::format("{}.{}: unknown metric; accepted: {}", field, metric, fmt::join(kAllMetrics, ", ")));
        }
        if (floor.is_null()) {
          model.floors.erase(metric);
        } else if (floor.is_number() && floor.get<double>() >= 0) {
          model.floors[metric] = floor.get<double>();
        } else {
          return BadFile(fmt::format("{}.{}: must be a non-negative number of GB/s or null", field, metric));
        }
      }
    } else if (key == "health") {
      GC_RETURN_IF_ERROR(MergeHealth(model.health, value, field));
    } else {
      return BadFile(field +
                     ": unknown field; accepted: floors, health, pci_device_ids, name_patterns, nccl_floor_ranks");
    }
  }
  return OkStatus();
}

}  // namespace

const ModelThresholds* ThresholdTable::Match(std::string_view device_name, std::uint32_t pci_device_id) const {
  if (pci_device_id != 0) {
    for (const auto& m : models) {
      if (std::find(m.pci_device_ids.begin(), m.pci_device_ids.end(), pci_device_id) != m.pci_device_ids.end()) {
        return &m;
      }
    }
  }
  const std::string name = Lower(device_name);
  for (const auto& m : models) {
    for (const auto& pattern : m.name_patterns) {
      if (name.find(Lower(pattern)) != std::string::npos) return &m;
    }
  }
  return nullptr;
}

ThresholdTable BuiltinThresholds() {
  // Floors in GB/s from reference/gpu-node-validation.md: Azure NHC floors,
  // nccl-tests maintainers' numbers and measured fractions of line rate. HBM
  // and P2P floors are estimates to calibrate on known-good nodes. Variants
  // whose NVLink or HBM differ (NVL, PCIe cards) get only what is known.
  // NVL entries precede the SXM ones so "H100 NVL" never takes SXM floors.
  // Health: the link each model needs (PCIe Gen4 x16 on Ampere, Gen5 x16 on
  // Hopper and Blackwell) and its NVLink count on SXM boards (12 on A100,
  // 18 on H100/H200/B200); NVL and PCIe cards' bridges are not judged.
  auto health = [](int gen, int width, int nvlinks) {
    HealthRules r;
    r.pcie_min_gen = gen;
    r.pcie_min_width = width;
    r.nvlink_min_active = nvlinks;
    return r;
  };
  ThresholdTable t;
  t.models = {
      {"A100-SXM4",
       {0x20b0, 0x20b2},
       {"A100-SXM4", "A100-SXM"},
       {{"hbm_copy", 1500}, {"h2d", 22}, {"d2h", 22}, {"p2p_unidir", 230}, {"nccl_busbw", 210}},
       8,
       health(4, 16, 12)},
      {"A100-PCIE",
       {0x20b5, 0x20f1},
       {"A100-PCIE", "A100 80GB PCIe"},
       {{"hbm_copy", 1100}, {"h2d", 22}, {"d2h", 22}},
       8,
       health(4, 16, 0)},
      {"H100-NVL", {0x2321}, {"H100 NVL"}, {{"h2d", 45}, {"d2h", 45}}, 8, health(5, 16, 0)},
      {"H100-PCIE", {0x2331}, {"H100 PCIe"}, {{"h2d", 45}, {"d2h", 45}}, 8, health(5, 16, 0)},
      {"H100-SXM",
       {0x2330},
       {"H100 80GB HBM3", "H100 SXM"},
       {{"hbm_copy", 2500},
        {"h2d", 45},
        {"d2h", 45},
        {"p2p_unidir", 330},
        {"nccl_busbw", 330},
        {"nccl_busbw_nvls", 430}},
       8,
       health(5, 16, 18)},
      {"H200-NVL", {}, {"H200 NVL"}, {{"h2d", 45}, {"d2h", 45}}, 8, health(5, 16, 0)},
      // H200-SXM hbm_copy and h2d/d2h: calibrated on an H200 (gpu_check/README.md,
      // "Calibration"): copy 4070-4104 GB/s, pinned copies 55.0-55.5 GB/s on
      // Gen5 x16; floors at about 90% and 87% of that (Azure's H200 floor is 48).
      {"H200-SXM",
       {0x2335},
       {"H200"},
       {{"hbm_copy", 3700},
        {"h2d", 48},
        {"d2h", 48},
        {"p2p_unidir", 335},
        {"nccl_busbw", 330},
        {"nccl_busbw_nvls", 420}},
       8,
       health(5, 16, 18)},
      {"B200", {0x2901}, {"B200"}, {{"h2d", 45}, {"d2h", 45}}, 8, health(5, 16, 18)},
  };
  return t;
}

Result<ThresholdTable> ApplyThresholdOverrides(ThresholdTable base, std::string_view json_text) {
  nlohmann::json doc = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return BadFile("not valid JSON");
  if (!doc.is_object()) return BadFile("the document must be a JSON object");
  for (const auto& [key, value] : doc.items()) {
    if (key == "outlier_ratio") {
      if (!value.is_number() || value.get<double>() <= 0 || value.get<double>() > 1) {
        return BadFile("outlier_ratio: must be a number in (0, 1]");
      }
      base.outlier_ratio = value.get<double>();
    } else if (key == "models") {
      if (!value.is_object()) return BadFile("models: must be an object keyed by model name");
      for (const auto& [name, spec] : value.items()) {
        auto it = std::find_if(base.models.begin(), base.models.end(),
                               [&](const ModelThresholds& m) { return m.model == name; });
        if (it == base.models.end()) {
          ModelThresholds added;
          added.model = name;
          GC_RETURN_IF_ERROR(MergeModel(added, spec, "models." + name));
          if (added.pci_device_ids.empty() && added.name_patterns.empty()) {
            return BadFile("models." + name + ": a new model needs pci_device_ids or name_patterns");
          }
          // New entries go first: a site's own definition is more specific than ours.
          base.models.insert(base.models.begin(), std::move(added));
        } else {
          GC_RETURN_IF_ERROR(MergeModel(*it, spec, "models." + name));
        }
      }
    } else {
      return BadFile(key + ": unknown field; accepted: outlier_ratio, models");
    }
  }
  return base;
}

}  // namespace llm::gpu_check

#include "workload/cluster_autoscaler_status.h"

#include <charconv>
#include <regex>
#include <sstream>
#include <string_view>

#include "kube/object_fields.h"
#include "util/strings.h"
#include "util/yaml_document.h"

namespace llm {
namespace {

constexpr std::string_view kTextHeader = "Cluster-autoscaler status at ";

std::optional<int64_t> ToInt(const std::string& digits) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

std::optional<ClusterAutoscalerStatus> FromStructured(const std::string& text) {
  auto docs = ParseYamlDocuments(text, "cluster-autoscaler-status");
  if (!docs.ok() || docs->empty() || !(*docs)[0].is_object()) return std::nullopt;
  const nlohmann::json doc = nlohmann::json::parse((*docs)[0].dump());  // for the object_fields readers
  if (!doc.contains("autoscalerStatus") && !doc.contains("nodeGroups")) return std::nullopt;
  ClusterAutoscalerStatus status;
  status.state = StringAt(doc, {"autoscalerStatus"});
  if (const nlohmann::json* groups = FindPath(doc, {"nodeGroups"}); groups != nullptr && groups->is_array()) {
    for (const nlohmann::json& group : *groups) {
      AutoscalerNodeGroup g;
      g.name = StringAt(group, {"name"});
      g.min_size = IntAt(group, {"health", "minSize"});
      g.max_size = IntAt(group, {"health", "maxSize"});
      g.target = IntAt(group, {"health", "cloudProviderTarget"});
      g.scale_up = StringAt(group, {"scaleUp", "status"});
      if (!g.name.empty()) status.node_groups.push_back(std::move(g));
    }
  }
  return status;
}

ClusterAutoscalerStatus FromText(const std::string& text) {
  static const std::regex kSizes(R"(cloudProviderTarget=(\d+) \(minSize=(\d+), maxSize=(\d+)\))");
  ClusterAutoscalerStatus status;
  std::istringstream lines(text);
  std::string line;
  bool in_groups = false;
  while (std::getline(lines, line)) {
    const std::string trimmed(Trim(line));
    if (trimmed == "NodeGroups:") {
      in_groups = true;
      continue;
    }
    if (!in_groups) continue;
    auto field = [&](std::string_view name) -> std::optional<std::string> {
      if (!trimmed.starts_with(name)) return std::nullopt;
      return std::string(Trim(std::string_view(trimmed).substr(name.size())));
    };
    if (auto name = field("Name:")) {
      status.node_groups.push_back({*name, 0, 0, 0, ""});
    } else if (status.node_groups.empty()) {
      continue;
    } else if (auto health = field("Health:")) {
      std::smatch m;
      if (std::regex_search(*health, m, kSizes)) {
        AutoscalerNodeGroup& g = status.node_groups.back();
        g.target = ToInt(m[1]).value_or(0);
        g.min_size = ToInt(m[2]).value_or(0);
        g.max_size = ToInt(m[3]).value_or(0);
      }
    } else if (auto scale_up = field("ScaleUp:")) {
      status.node_groups.back().scale_up = scale_up->substr(0, scale_up->find(' '));
    }
  }
  return status;
}

}  // namespace

std::optional<ClusterAutoscalerStatus> ParseClusterAutoscalerStatus(const nlohmann::json& config_map) {
  const std::string text = StringAt(config_map, {"data", "status"});
  if (text.empty()) return std::nullopt;
  if (text.starts_with(kTextHeader)) return FromText(text);
  return FromStructured(text);
}

}  // namespace llm

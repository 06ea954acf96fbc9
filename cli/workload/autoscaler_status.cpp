#include "workload/autoscaler_status.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "kube/object_fields.h"

namespace llm {
namespace {

/// A MetricValueStatus or MetricTarget as kubectl prints it: a utilization as
/// "N%", else the value or average value as the server wrote the quantity.
std::string MetricValueText(const nlohmann::json* value) {
  if (value == nullptr || !value->is_object()) return "<unknown>";
  if (const nlohmann::json* u = FindPath(*value, {"averageUtilization"}); u != nullptr && u->is_number()) {
    return fmt::format("{}%", u->get<int64_t>());
  }
  for (const char* field : {"averageValue", "value"}) {
    const std::string quantity = StringAt(*value, {field});
    if (!quantity.empty()) return quantity;
  }
  return "<unknown>";
}

/// spec.metrics[i] or status.currentMetrics[i]: its type's block and the metric's name.
std::pair<const nlohmann::json*, std::string> MetricBlock(const nlohmann::json& metric) {
  const std::string type = StringAt(metric, {"type"});
  if (type == "Resource" || type == "ContainerResource") {
    const nlohmann::json* block = FindPath(metric, {type == "Resource" ? "resource" : "containerResource"});
    return {block, block != nullptr ? StringAt(*block, {"name"}) : ""};
  }
  const char* field = type == "External" ? "external" : type == "Pods" ? "pods" : "object";
  const nlohmann::json* block = FindPath(metric, {field});
  return {block, block != nullptr ? StringAt(*block, {"metric", "name"}) : ""};
}

std::string ConditionProblem(const nlohmann::json& hpa) {
  // At zero replicas the HPA stands aside (ScalingDisabled); where zero is the
  // ScaledObject's minimum (WithScaledObjectBounds), KEDA wakes it: no problem.
  const bool may_sleep = IntAt(hpa, {"spec", "minReplicas"}, 1) == 0;
  for (const nlohmann::json& condition : ArrayAt(hpa, {"status", "conditions"})) {
    const std::string type = StringAt(condition, {"type"});
    if (may_sleep && StringAt(condition, {"reason"}) == "ScalingDisabled") continue;
    if ((type == "AbleToScale" || type == "ScalingActive") && StringAt(condition, {"status"}) == "False") {
      return fmt::format("{}: {}", StringAt(condition, {"reason"}), StringAt(condition, {"message"}));
    }
  }
  return "";
}

AutoscalerStatus Summarize(const nlohmann::json& hpa) {
  AutoscalerStatus s;
  s.name = NameOf(hpa);
  s.min_replicas = IntAt(hpa, {"spec", "minReplicas"}, 1);
  s.max_replicas = IntAt(hpa, {"spec", "maxReplicas"});
  s.current_replicas = IntAt(hpa, {"status", "currentReplicas"});
  s.desired_replicas = IntAt(hpa, {"status", "desiredReplicas"});
  s.last_scale_time = StringAt(hpa, {"status", "lastScaleTime"});
  s.problem = ConditionProblem(hpa);
  const nlohmann::json& current = ArrayAt(hpa, {"status", "currentMetrics"});
  for (const nlohmann::json& spec : ArrayAt(hpa, {"spec", "metrics"})) {
    auto [target_block, name] = MetricBlock(spec);
    AutoscalerMetric m;
    m.name = name;
    m.target = MetricValueText(target_block != nullptr ? FindPath(*target_block, {"target"}) : nullptr);
    m.current = "<unknown>";
    for (const nlohmann::json& now : current) {
      auto [current_block, current_name] = MetricBlock(now);
      if (StringAt(now, {"type"}) != StringAt(spec, {"type"}) || current_name != name) continue;
      m.current = MetricValueText(current_block != nullptr ? FindPath(*current_block, {"current"}) : nullptr);
    }
    s.metrics.push_back(std::move(m));
  }
  return s;
}

}  // namespace

std::string AutoscalerStatus::TargetsText() const {
  std::vector<std::string> parts;
  for (const AutoscalerMetric& m : metrics) parts.push_back(fmt::format("{}: {}/{}", m.name, m.current, m.target));
  return parts.empty() ? "<none>" : fmt::format("{}", fmt::join(parts, ", "));
}

std::optional<AutoscalerStatus> FindAutoscaler(const nlohmann::json& hpas, const std::string& ns,
                                               const std::string& kind, const std::string& name) {
  for (const nlohmann::json& hpa : ItemsOf(hpas)) {
    if (NamespaceOf(hpa) == ns && StringAt(hpa, {"spec", "scaleTargetRef", "kind"}) == kind &&
        StringAt(hpa, {"spec", "scaleTargetRef", "name"}) == name) {
      return Summarize(hpa);
    }
  }
  return std::nullopt;
}

namespace {
// KEDA labels the HPA it makes with the name of its ScaledObject.
constexpr const char* kScaledObjectLabel = "scaledobject.keda.sh/name";
}  // namespace

bool AnyMadeByKeda(const nlohmann::json& hpas) {
  for (const nlohmann::json& hpa : ItemsOf(hpas)) {
    if (!StringAt(hpa, {"metadata", "labels", kScaledObjectLabel}).empty()) return true;
  }
  return false;
}

nlohmann::json WithScaledObjectBounds(nlohmann::json hpas, const nlohmann::json& scaled_objects) {
  if (hpas.is_object() && !hpas.contains("items")) return hpas;
  nlohmann::json& items = hpas.is_object() ? hpas["items"] : hpas;
  for (nlohmann::json& hpa : items) {
    const std::string owner = StringAt(hpa, {"metadata", "labels", kScaledObjectLabel});
    if (owner.empty()) continue;
    for (const nlohmann::json& scaled_object : ItemsOf(scaled_objects)) {
      if (NameOf(scaled_object) != owner || NamespaceOf(scaled_object) != NamespaceOf(hpa)) continue;
      // KEDA's default minReplicaCount is 0.
      hpa["spec"]["minReplicas"] = IntAt(scaled_object, {"spec", "minReplicaCount"}, 0);
    }
  }
  return hpas;
}

nlohmann::ordered_json AutoscalerJson(const std::optional<AutoscalerStatus>& autoscaler) {
  if (!autoscaler) return nullptr;
  nlohmann::ordered_json metrics = nlohmann::ordered_json::array();
  for (const AutoscalerMetric& m : autoscaler->metrics) {
    metrics.push_back({{"name", m.name}, {"current", m.current}, {"target", m.target}});
  }
  return {{"name", autoscaler->name},
          {"minReplicas", autoscaler->min_replicas},
          {"maxReplicas", autoscaler->max_replicas},
          {"currentReplicas", autoscaler->current_replicas},
          {"desiredReplicas", autoscaler->desired_replicas},
          {"metrics", metrics},
          {"lastScaleTime", autoscaler->last_scale_time},
          {"problem", autoscaler->problem}};
}

}  // namespace llm

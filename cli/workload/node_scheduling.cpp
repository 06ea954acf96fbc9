#include "workload/node_scheduling.h"

#include "kube/object_fields.h"

namespace llm {

bool ToleratesTaint(const nlohmann::json& toleration, const nlohmann::json& taint) {
  std::string effect = StringAt(toleration, {"effect"});
  if (!effect.empty() && effect != StringAt(taint, {"effect"})) return false;
  std::string key = StringAt(toleration, {"key"});
  std::string op = StringAt(toleration, {"operator"}, "Equal");
  if (key.empty()) return op == "Exists";  // validation only allows an empty key with Exists
  if (key != StringAt(taint, {"key"})) return false;
  if (op == "Exists") return true;
  return op == "Equal" && StringAt(toleration, {"value"}) == StringAt(taint, {"value"});
}

std::string FormatTaint(const nlohmann::json& taint) {
  std::string text = StringAt(taint, {"key"});
  std::string value = StringAt(taint, {"value"});
  if (!value.empty()) text += "=" + value;
  return text + ":" + StringAt(taint, {"effect"});
}

std::optional<std::string> UntoleratedTaint(const nlohmann::json& node, const nlohmann::json& tolerations) {
  const nlohmann::json* taints = FindPath(node, {"spec", "taints"});
  if (taints == nullptr || !taints->is_array()) return std::nullopt;
  for (const nlohmann::json& taint : *taints) {
    std::string effect = StringAt(taint, {"effect"});
    if (effect != "NoSchedule" && effect != "NoExecute") continue;
    bool tolerated = false;
    if (tolerations.is_array()) {
      for (const nlohmann::json& toleration : tolerations) {
        if (ToleratesTaint(toleration, taint)) {
          tolerated = true;
          break;
        }
      }
    }
    if (!tolerated) return FormatTaint(taint);
  }
  return std::nullopt;
}

std::optional<std::string> MissingNodeLabel(const nlohmann::json& node,
                                            const std::map<std::string, std::string>& labels) {
  for (const auto& [key, value] : labels) {
    const nlohmann::json* actual = FindPath(node, {"metadata", "labels", key});
    if (actual == nullptr || !actual->is_string() || actual->get<std::string>() != value) {
      return key + "=" + value;
    }
  }
  return std::nullopt;
}

bool IsCordoned(const nlohmann::json& node) {
  const nlohmann::json* value = FindPath(node, {"spec", "unschedulable"});
  return value != nullptr && value->is_boolean() && value->get<bool>();
}

}  // namespace llm

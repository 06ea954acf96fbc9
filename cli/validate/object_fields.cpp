#include "validate/object_fields.h"

#include <algorithm>
#include <cctype>

namespace llm {
namespace {

const nlohmann::json& EmptyArray() {
  static const nlohmann::json kEmpty = nlohmann::json::array();
  return kEmpty;
}

/// Extended resources are whole numbers; "8" or 8. Anything else counts as 0.
long long WholeQuantity(const nlohmann::json& value) {
  if (value.is_number_integer()) return value.get<long long>();
  if (!value.is_string()) return 0;
  const std::string text = value.get<std::string>();
  if (text.empty() || text.size() > 18 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
    return 0;
  }
  return std::stoll(text);
}

long long ContainerGpus(const nlohmann::json& container) {
  const nlohmann::json& resources = container.contains("resources") ? container["resources"] : nlohmann::json();
  for (const char* kind : {"requests", "limits"}) {
    if (resources.is_object() && resources.contains(kind) && resources[kind].contains(kGpuResource)) {
      return WholeQuantity(resources[kind][kGpuResource]);
    }
  }
  return 0;
}

}  // namespace

std::string NameOf(const nlohmann::json& object) {
  if (!object.contains("metadata")) return "";
  return object["metadata"].value("name", "");
}

std::string NamespaceOf(const nlohmann::json& object) {
  if (!object.contains("metadata")) return "";
  return object["metadata"].value("namespace", "");
}

std::map<std::string, std::string> LabelsOf(const nlohmann::json& object) {
  std::map<std::string, std::string> labels;
  if (!object.contains("metadata") || !object["metadata"].contains("labels")) return labels;
  for (const auto& [key, value] : object["metadata"]["labels"].items()) {
    if (value.is_string()) labels[key] = value.get<std::string>();
  }
  return labels;
}

std::string AnnotationOf(const nlohmann::json& object, const std::string& key) {
  if (!object.contains("metadata") || !object["metadata"].contains("annotations")) return "";
  const nlohmann::json& annotations = object["metadata"]["annotations"];
  return annotations.contains(key) && annotations[key].is_string() ? annotations[key].get<std::string>() : "";
}

long long AllocatableGpus(const nlohmann::json& node) {
  if (!node.contains("status") || !node["status"].contains("allocatable")) return 0;
  const nlohmann::json& allocatable = node["status"]["allocatable"];
  return allocatable.contains(kGpuResource) ? WholeQuantity(allocatable[kGpuResource]) : 0;
}

long long RequestedGpus(const nlohmann::json& pod) {
  if (!pod.contains("spec")) return 0;
  const nlohmann::json& spec = pod["spec"];
  long long sum = 0;
  if (spec.contains("containers")) {
    for (const auto& c : spec["containers"]) sum += ContainerGpus(c);
  }
  long long init_max = 0;
  if (spec.contains("initContainers")) {
    for (const auto& c : spec["initContainers"]) init_max = std::max(init_max, ContainerGpus(c));
  }
  return std::max(sum, init_max);
}

bool IsTerminalPod(const nlohmann::json& pod) {
  if (!pod.contains("status")) return false;
  const std::string phase = pod["status"].value("phase", "");
  return phase == "Succeeded" || phase == "Failed";
}

const nlohmann::json& ItemsOf(const nlohmann::json& list) {
  if (list.is_array()) return list;
  if (list.is_object() && list.contains("items") && list["items"].is_array()) return list["items"];
  return EmptyArray();
}

}  // namespace llm

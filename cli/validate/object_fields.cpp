#include "validate/object_fields.h"

#include <algorithm>
#include <cctype>

namespace llm {
namespace {

const nlohmann::json& EmptyArray() {
  static const nlohmann::json kEmpty = nlohmann::json::array();
  return kEmpty;
}

const nlohmann::json& Null() {
  static const nlohmann::json kNull;
  return kNull;
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
  for (const char* kind : {"requests", "limits"}) {
    const nlohmann::json& quantity = At(container, {"resources", kind, kGpuResource});
    if (!quantity.is_null()) return WholeQuantity(quantity);
  }
  return 0;
}

}  // namespace

const nlohmann::json& At(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return Null();
  const auto it = object.find(key);
  return it == object.end() ? Null() : *it;
}

const nlohmann::json& At(const nlohmann::json& object, std::initializer_list<const char*> path) {
  const nlohmann::json* current = &object;
  for (const char* key : path) current = &At(*current, key);
  return *current;
}

std::string Str(const nlohmann::json& value, std::string fallback) {
  return value.is_string() ? value.get<std::string>() : fallback;
}

long long Int(const nlohmann::json& value, long long fallback) {
  return value.is_number_integer() ? value.get<long long>() : fallback;
}

bool Bool(const nlohmann::json& value) { return value.is_boolean() && value.get<bool>(); }

const nlohmann::json& Arr(const nlohmann::json& value) { return value.is_array() ? value : EmptyArray(); }

std::string NameOf(const nlohmann::json& object) { return Str(At(object, {"metadata", "name"})); }

std::string NamespaceOf(const nlohmann::json& object) { return Str(At(object, {"metadata", "namespace"})); }

std::map<std::string, std::string> LabelsOf(const nlohmann::json& object) {
  std::map<std::string, std::string> labels;
  const nlohmann::json& map = At(object, {"metadata", "labels"});
  if (!map.is_object()) return labels;
  for (const auto& [key, value] : map.items()) {
    if (value.is_string()) labels[key] = value.get<std::string>();
  }
  return labels;
}

std::string AnnotationOf(const nlohmann::json& object, const std::string& key) {
  return Str(At(At(object, {"metadata", "annotations"}), key.c_str()));
}

long long AllocatableGpus(const nlohmann::json& node) {
  return WholeQuantity(At(node, {"status", "allocatable", kGpuResource}));
}

long long RequestedGpus(const nlohmann::json& pod) {
  long long sum = 0;
  for (const auto& c : Arr(At(pod, {"spec", "containers"}))) sum += ContainerGpus(c);
  long long init_max = 0;
  for (const auto& c : Arr(At(pod, {"spec", "initContainers"}))) init_max = std::max(init_max, ContainerGpus(c));
  return std::max(sum, init_max);
}

}  // namespace llm

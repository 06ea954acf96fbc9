#include "kube/object_fields.h"

#include <charconv>

namespace llm {

const nlohmann::json* FindPath(const nlohmann::json& object, std::initializer_list<std::string_view> path) {
  const nlohmann::json* current = &object;
  for (std::string_view key : path) {
    if (!current->is_object()) return nullptr;
    auto it = current->find(key);
    if (it == current->end()) return nullptr;
    current = &*it;
  }
  return current;
}

void KeepOnlyPaths(nlohmann::json& object, std::initializer_list<std::initializer_list<std::string_view>> paths) {
  nlohmann::json kept = nlohmann::json::object();
  for (const auto& path : paths) {
    const nlohmann::json* value = FindPath(object, path);
    if (value == nullptr) continue;
    nlohmann::json* into = &kept;
    for (std::string_view key : path) into = &(*into)[std::string(key)];
    *into = *value;  // a copy: a later path may lie inside this one
  }
  object = std::move(kept);
}

std::string StringAt(const nlohmann::json& object, std::initializer_list<std::string_view> path,
                     std::string_view fallback) {
  const nlohmann::json* value = FindPath(object, path);
  if (value == nullptr || !value->is_string()) return std::string(fallback);
  return value->get<std::string>();
}

int64_t IntAt(const nlohmann::json& object, std::initializer_list<std::string_view> path, int64_t fallback) {
  const nlohmann::json* value = FindPath(object, path);
  if (value == nullptr || !value->is_number_integer()) return fallback;
  return value->get<int64_t>();
}

bool BoolAt(const nlohmann::json& object, std::initializer_list<std::string_view> path) {
  const nlohmann::json* value = FindPath(object, path);
  return value != nullptr && value->is_boolean() && value->get<bool>();
}

const nlohmann::json& ArrayAt(const nlohmann::json& object, std::initializer_list<std::string_view> path) {
  static const nlohmann::json kEmpty = nlohmann::json::array();
  const nlohmann::json* value = FindPath(object, path);
  return value != nullptr && value->is_array() ? *value : kEmpty;
}

std::string NameOf(const nlohmann::json& object) { return StringAt(object, {"metadata", "name"}); }

std::string NamespaceOf(const nlohmann::json& object) { return StringAt(object, {"metadata", "namespace"}); }

std::string LabelOf(const nlohmann::json& object, std::string_view key) {
  return StringAt(object, {"metadata", "labels", key});
}

std::string AnnotationOf(const nlohmann::json& object, std::string_view key) {
  return StringAt(object, {"metadata", "annotations", key});
}

std::map<std::string, std::string> LabelsOf(const nlohmann::json& object) {
  std::map<std::string, std::string> labels;
  const nlohmann::json* map = FindPath(object, {"metadata", "labels"});
  if (map == nullptr || !map->is_object()) return labels;
  for (const auto& [key, value] : map->items()) {
    if (value.is_string()) labels[key] = value.get<std::string>();
  }
  return labels;
}

const nlohmann::json& ItemsOf(const nlohmann::json& list_or_array) {
  static const nlohmann::json kEmpty = nlohmann::json::array();
  if (list_or_array.is_array()) return list_or_array;
  const nlohmann::json* items = FindPath(list_or_array, {"items"});
  if (items != nullptr && items->is_array()) return *items;
  return kEmpty;
}

void FillItemKinds(nlohmann::json& list) {
  const std::string list_kind = list.value("kind", "");
  const std::string kind =
      list_kind.size() > 4 && list_kind.ends_with("List") ? list_kind.substr(0, list_kind.size() - 4) : "";
  const std::string api_version = list.value("apiVersion", "");
  auto items = list.find("items");
  if (items == list.end() || !items->is_array()) return;
  for (nlohmann::json& item : *items) {
    if (!item.is_object()) continue;
    if (!item.contains("kind") && !kind.empty()) item["kind"] = kind;
    if (!item.contains("apiVersion") && !api_version.empty()) item["apiVersion"] = api_version;
  }
}

const nlohmann::json* FindCondition(const nlohmann::json& object, std::string_view type) {
  const nlohmann::json* conditions = FindPath(object, {"status", "conditions"});
  if (conditions == nullptr || !conditions->is_array()) return nullptr;
  for (const nlohmann::json& condition : *conditions) {
    if (StringAt(condition, {"type"}) == type) return &condition;
  }
  return nullptr;
}

std::optional<int64_t> ParseCountQuantity(const nlohmann::json& quantity) {
  if (quantity.is_number_integer()) return quantity.get<int64_t>();
  if (!quantity.is_string()) return std::nullopt;
  const std::string& text = quantity.get_ref<const std::string&>();
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || value < 0) return std::nullopt;
  std::string_view suffix(end, static_cast<size_t>(text.data() + text.size() - end));
  int64_t multiplier = 1;
  if (suffix.empty()) {
    multiplier = 1;
  } else if (suffix == "k") {
    multiplier = 1000;
  } else if (suffix == "M") {
    multiplier = 1000000;
  } else {
    return std::nullopt;
  }
  return value * multiplier;
}

}  // namespace llm

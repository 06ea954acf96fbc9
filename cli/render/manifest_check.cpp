#include "render/manifest_check.h"

#include <regex>

#include <fmt/format.h>

#include "render/k8s_names.h"

namespace llm {
namespace {

Error Invalid(std::string_view where, std::string_view what) {
  return Error(ErrorKind::kInvalidInput, fmt::format("{}: {}", where, what));
}

Status CheckStringMap(const Json& map, std::string_view where, std::string_view path, bool values_are_labels) {
  if (!map.is_object()) return Invalid(where, fmt::format("{} must be a mapping", path));
  for (const auto& [key, value] : map.items()) {
    const std::string what = fmt::format("{} {}", where, path);
    LLM_RETURN_IF_ERROR(CheckLabelKey(key, what));
    if (!value.is_string()) return Invalid(where, fmt::format("{}.{} must be a string", path, key));
    if (values_are_labels) LLM_RETURN_IF_ERROR(CheckLabelValue(value.get_ref<const std::string&>(), what));
  }
  return Ok();
}

/// Walks the object; checks every metadata's labels/annotations and every matchLabels.
Status Walk(const Json& node, std::string_view where, const std::string& path) {
  if (node.is_array()) {
    for (size_t i = 0; i < node.size(); ++i) LLM_RETURN_IF_ERROR(Walk(node[i], where, fmt::format("{}[{}]", path, i)));
    return Ok();
  }
  if (!node.is_object()) return Ok();
  for (const auto& [key, value] : node.items()) {
    const std::string child = path.empty() ? key : path + "." + key;
    if (key == "metadata" && value.is_object()) {
      if (value.contains("labels")) LLM_RETURN_IF_ERROR(CheckStringMap(value["labels"], where, child + ".labels", true));
      if (value.contains("annotations")) {
        LLM_RETURN_IF_ERROR(CheckStringMap(value["annotations"], where, child + ".annotations", false));
      }
    } else if (key == "matchLabels") {
      LLM_RETURN_IF_ERROR(CheckStringMap(value, where, child, true));
    }
    LLM_RETURN_IF_ERROR(Walk(value, where, child));
  }
  return Ok();
}

}  // namespace

Status CheckManifest(const Json& object, std::string_view where) {
  if (!object.is_object()) return Invalid(where, "a manifest must be a mapping");
  static const std::regex kApiVersion(R"(^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?v[0-9]+((alpha|beta)[0-9]+)?$)");
  static const std::regex kKind(R"(^[A-Z][A-Za-z0-9]{0,62}$)");
  const auto string_at = [&](const char* key) -> const std::string* {
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
  };
  const std::string* api_version = string_at("apiVersion");
  if (api_version == nullptr || !std::regex_match(*api_version, kApiVersion)) {
    return Invalid(where, "apiVersion must be 'v1' or 'group/version'");
  }
  const std::string* kind = string_at("kind");
  if (kind == nullptr || !std::regex_match(*kind, kKind)) return Invalid(where, "kind must be a CamelCase name");
  auto meta = object.find("metadata");
  if (meta == object.end() || !meta->is_object()) return Invalid(where, "metadata must be a mapping");
  auto name = meta->find("name");
  if (name == meta->end() || !name->is_string() || !IsDns1123Subdomain(name->get_ref<const std::string&>())) {
    return Invalid(where, "metadata.name must be a DNS-1123 subdomain");
  }
  if (*kind == "Service" && !IsDns1035Label(name->get_ref<const std::string&>())) {
    return Invalid(where, "a Service's metadata.name must be a DNS-1035 label");
  }
  if (auto ns = meta->find("namespace"); ns != meta->end()) {
    if (!ns->is_string() || !IsDns1123Label(ns->get_ref<const std::string&>())) {
      return Invalid(where, "metadata.namespace must be a DNS-1123 label");
    }
  }
  return Walk(object, where, "");
}

}  // namespace llm

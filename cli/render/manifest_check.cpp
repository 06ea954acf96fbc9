#include "render/manifest_check.h"

#include <algorithm>

#include <fmt/format.h>

#include "render/k8s_names.h"

namespace llm {
namespace {

Error Invalid(std::string_view where, std::string_view what) {
  return Error(ErrorKind::kInvalidInput, fmt::format("{}: {}", where, what));
}

bool IsDigits(std::string_view s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos; }

/// "v1", "v1beta2", "group.example.com/v1alpha1".
bool IsApiVersion(std::string_view s) {
  const size_t slash = s.find('/');
  if (slash != std::string_view::npos) {
    if (!IsDns1123Subdomain(s.substr(0, slash))) return false;
    s.remove_prefix(slash + 1);
  }
  if (s.size() < 2 || s[0] != 'v') return false;
  s.remove_prefix(1);
  const size_t stage = s.find_first_not_of("0123456789");
  if (stage == std::string_view::npos) return IsDigits(s);
  if (stage == 0) return false;
  const std::string_view rest = s.substr(stage);
  for (std::string_view word : {std::string_view("alpha"), std::string_view("beta")}) {
    if (rest.starts_with(word)) return IsDigits(rest.substr(word.size()));
  }
  return false;
}

/// CamelCase: an upper-case letter, then letters and digits.
bool IsKind(std::string_view s) {
  if (s.empty() || s.size() > 63 || s[0] < 'A' || s[0] > 'Z') return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

Status CheckStringMap(const Json& map, std::string_view where, std::string_view path, bool values_are_labels) {
  if (!map.is_object()) return Invalid(where, fmt::format("{} must be a mapping", path));
  const std::string what = fmt::format("{} {}", where, path);
  for (const auto& [key, value] : map.items()) {
    LLM_RETURN_IF_ERROR(CheckLabelKey(key, what));
    if (!value.is_string()) return Invalid(where, fmt::format("{}.{} must be a string", path, key));
    if (values_are_labels) LLM_RETURN_IF_ERROR(CheckLabelValue(value.get_ref<const std::string&>(), what));
  }
  return Ok();
}

/// Where Walk is: the keys and indices from the object down, kept on the
/// stack and spelled out ("spec.template.metadata") only where a check names
/// it, instead of a string built for every node of every manifest.
struct Path {
  const Path* parent = nullptr;  ///< null: the object itself
  std::string_view key;          ///< a mapping's key, unless is_index
  size_t index = 0;              ///< an array's element, when is_index
  bool is_index = false;

  std::string Spelled() const {
    if (parent == nullptr) return "";
    std::string above = parent->Spelled();
    if (is_index) return fmt::format("{}[{}]", above, index);
    return above.empty() ? std::string(key) : fmt::format("{}.{}", above, key);
  }
};

/// Walks the object; checks every metadata's labels/annotations and every matchLabels.
Status Walk(const Json& node, std::string_view where, const Path& path) {
  if (node.is_array()) {
    for (size_t i = 0; i < node.size(); ++i) {
      LLM_RETURN_IF_ERROR(Walk(node[i], where, Path{&path, {}, i, /*is_index=*/true}));
    }
    return Ok();
  }
  if (!node.is_object()) return Ok();
  for (const auto& [key, value] : node.items()) {
    const Path child{&path, key};
    if (key == "metadata" && value.is_object()) {
      if (value.contains("labels")) {
        LLM_RETURN_IF_ERROR(
            CheckStringMap(value["labels"], where, child.Spelled() + ".labels", /*values_are_labels=*/true));
      }
      if (value.contains("annotations")) {
        LLM_RETURN_IF_ERROR(
            CheckStringMap(value["annotations"], where, child.Spelled() + ".annotations", /*values_are_labels=*/false));
      }
    } else if (key == "matchLabels") {
      LLM_RETURN_IF_ERROR(CheckStringMap(value, where, child.Spelled(), /*values_are_labels=*/true));
    }
    LLM_RETURN_IF_ERROR(Walk(value, where, child));
  }
  return Ok();
}

}  // namespace

Status CheckManifest(const Json& object, std::string_view where) {
  if (!object.is_object()) return Invalid(where, "a manifest must be a mapping");
  const auto string_at = [&](const char* key) -> const std::string* {
    if (!object.contains(key) || !object.at(key).is_string()) return nullptr;
    return &object.at(key).get_ref<const std::string&>();
  };
  const std::string* api_version = string_at("apiVersion");
  if (api_version == nullptr || !IsApiVersion(*api_version)) {
    return Invalid(where, "apiVersion must be 'v1' or 'group/version'");
  }
  const std::string* kind = string_at("kind");
  if (kind == nullptr || !IsKind(*kind)) return Invalid(where, "kind must be a CamelCase name");
  if (!object.contains("metadata") || !object.at("metadata").is_object()) {
    return Invalid(where, "metadata must be a mapping");
  }
  const Json& meta = object.at("metadata");
  if (!meta.contains("name") || !meta.at("name").is_string() ||
      !IsDns1123Subdomain(meta.at("name").get_ref<const std::string&>())) {
    return Invalid(where, "metadata.name must be a DNS-1123 subdomain");
  }
  if (*kind == "Service" && !IsDns1035Label(meta.at("name").get_ref<const std::string&>())) {
    return Invalid(where, "a Service's metadata.name must be a DNS-1035 label");
  }
  if (meta.contains("namespace")) {
    if (!meta.at("namespace").is_string() || !IsDns1123Label(meta.at("namespace").get_ref<const std::string&>())) {
      return Invalid(where, "metadata.namespace must be a DNS-1123 label");
    }
  }
  return Walk(object, where, Path{});
}

}  // namespace llm

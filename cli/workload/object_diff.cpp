#include "workload/object_diff.h"

#include <fmt/format.h>

#include "kube/object_fields.h"
#include "output/object_printer.h"
#include "workload/unified_diff.h"

namespace llm {
namespace {

constexpr const char* kMaskDefault = "***";
constexpr const char* kMaskBefore = "*** (before)";
constexpr const char* kMaskAfter = "*** (after)";

nlohmann::json* DataOf(nlohmann::json& object) {
  if (!object.is_object()) return nullptr;
  auto it = object.find("data");
  if (it == object.end() || !it->is_object()) return nullptr;
  return &*it;
}

}  // namespace

nlohmann::json OmitManagedFields(nlohmann::json object) {
  if (object.is_object()) {
    auto metadata = object.find("metadata");
    if (metadata != object.end() && metadata->is_object()) metadata->erase("managedFields");
  }
  return object;
}

void MaskSecretData(nlohmann::json& live, nlohmann::json& merged) {
  const nlohmann::json& present = merged.is_null() ? live : merged;
  if (StringAt(present, {"apiVersion"}) != "v1" || StringAt(present, {"kind"}) != "Secret") return;
  nlohmann::json* from = DataOf(live);
  nlohmann::json* to = DataOf(merged);
  if (from != nullptr) {
    for (auto& [key, value] : from->items()) {
      if (to != nullptr && to->contains(key)) {
        if (value != (*to)[key]) {
          value = kMaskBefore;
          (*to)[key] = kMaskAfter;
          continue;
        }
        (*to)[key] = kMaskDefault;
      }
      value = kMaskDefault;
    }
  }
  if (to != nullptr) {
    for (auto& [key, value] : to->items()) {
      if (from == nullptr || !from->contains(key)) value = kMaskDefault;
    }
  }
}

std::string DiffFileName(const nlohmann::json& object) {
  std::string api_version = StringAt(object, {"apiVersion"});
  size_t slash = api_version.find('/');
  std::string group = slash == std::string::npos ? "" : api_version.substr(0, slash) + ".";
  std::string version = slash == std::string::npos ? api_version : api_version.substr(slash + 1);
  return fmt::format("{}{}.{}.{}.{}", group, version, StringAt(object, {"kind"}),
                     StringAt(object, {"metadata", "namespace"}), StringAt(object, {"metadata", "name"}));
}

std::string DiffObject(const nlohmann::json& live, const nlohmann::json& merged, bool show_managed_fields) {
  return DiffObjectAs(live, merged, "LIVE", "MERGED", show_managed_fields);
}

DiffFiles PrepareDiffFiles(const nlohmann::json& from_object, const nlohmann::json& to_object,
                           bool show_managed_fields) {
  nlohmann::json from = show_managed_fields ? from_object : OmitManagedFields(from_object);
  nlohmann::json to = show_managed_fields ? to_object : OmitManagedFields(to_object);
  MaskSecretData(from, to);
  DiffFiles files;
  // A pruned object has no second side; it is named after its first one.
  files.name = DiffFileName(to_object.is_null() ? from_object : to_object);
  // kubectl prints nothing for an absent side; diff -N reads it as empty.
  files.from = from.is_null() ? "" : ToYaml(from);
  files.to = to.is_null() ? "" : ToYaml(to);
  return files;
}

std::string DiffObjectAs(const nlohmann::json& from_object, const nlohmann::json& to_object, std::string_view from_dir,
                         std::string_view to_dir, bool show_managed_fields) {
  const DiffFiles files = PrepareDiffFiles(from_object, to_object, show_managed_fields);
  return UnifiedDiff(files.from, files.to, fmt::format("{}/{}", from_dir, files.name),
                     fmt::format("{}/{}", to_dir, files.name));
}

}  // namespace llm

#include "kube/managed_fields.h"

#include <chrono>

#include "util/rfc3339.h"

namespace llm::kube {

std::string ApplyEntryTime(const nlohmann::json& object, std::string_view manager) {
  const nlohmann::json* metadata = object.is_object() && object.contains("metadata") ? &object["metadata"] : nullptr;
  if (metadata == nullptr || !metadata->is_object() || !metadata->contains("managedFields")) return "";
  const nlohmann::json& entries = (*metadata)["managedFields"];
  if (!entries.is_array()) return "";
  for (const nlohmann::json& entry : entries) {
    if (!entry.is_object() || entry.value("manager", "") != manager || entry.value("operation", "") != "Apply" ||
        !entry.value("subresource", "").empty()) {
      continue;
    }
    return entry.value("time", "");
  }
  return "";
}

std::string ApplyTimeSinceCreation(const nlohmann::json& object, std::string_view manager) {
  std::string applied = ApplyEntryTime(object, manager);
  const auto applied_at = ParseRfc3339(applied);
  const auto created_at = ParseRfc3339(object.value("/metadata/creationTimestamp"_json_pointer, std::string()));
  if (applied_at && created_at) {
    const auto apart = *applied_at > *created_at ? *applied_at - *created_at : *created_at - *applied_at;
    if (apart <= std::chrono::seconds(1)) return "";
  }
  return applied;
}

}  // namespace llm::kube

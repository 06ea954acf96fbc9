// Reading fields of Kubernetes objects as the API server returns them (JSON),
// where any field may be absent: every accessor has a fallback instead of
// throwing, because a half-filled status is the normal case while a workload
// starts.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace llm {

/// The value at `path` (object keys), or nullptr when any step is missing or
/// not an object.
const nlohmann::json* FindPath(const nlohmann::json& object, std::initializer_list<std::string_view> path);

/// The string at `path`, or `fallback` when absent or not a string.
std::string StringAt(const nlohmann::json& object, std::initializer_list<std::string_view> path,
                     std::string_view fallback = "");

/// The integer at `path`, or `fallback` when absent or not an integer.
int64_t IntAt(const nlohmann::json& object, std::initializer_list<std::string_view> path, int64_t fallback = 0);

/// The boolean at `path`, false when absent or not a boolean.
bool BoolAt(const nlohmann::json& object, std::initializer_list<std::string_view> path);

/// The array at `path`, or an empty array when absent or not an array (so a
/// range-for over it needs no check).
const nlohmann::json& ArrayAt(const nlohmann::json& object, std::initializer_list<std::string_view> path);

/// Cuts `object` down, in place, to the values at `paths` (each a list of
/// object keys; absent ones stay absent): for keeping a few fields of
/// thousands of listed objects (ListOptions::keep_item, WatchOptions::transform).
void KeepOnlyPaths(nlohmann::json& object, std::initializer_list<std::initializer_list<std::string_view>> paths);

/// metadata.name and metadata.namespace ("" when absent).
std::string NameOf(const nlohmann::json& object);
std::string NamespaceOf(const nlohmann::json& object);

/// metadata.labels[key] and metadata.annotations[key] ("" when absent).
std::string LabelOf(const nlohmann::json& object, std::string_view key);
std::string AnnotationOf(const nlohmann::json& object, std::string_view key);
/// Every string label of the object.
std::map<std::string, std::string> LabelsOf(const nlohmann::json& object);

/// The `items` of a List, or the value itself when it already is an array;
/// an empty array otherwise. Lets callers pass either shape.
const nlohmann::json& ItemsOf(const nlohmann::json& list_or_array);
/// Items of a built-in List carry no kind or apiVersion (watch events do):
/// fills them in from the List's own ("JobList" -> "Job").
void FillItemKinds(nlohmann::json& list);

/// status.conditions[type == `type`], or nullptr.
const nlohmann::json* FindCondition(const nlohmann::json& object, std::string_view type);

/// The count of an extended resource such as nvidia.com/gpu. The API server
/// only admits whole numbers for those, serialised as a quantity string ("8")
/// with an optional decimal suffix ("1k"); nullopt for anything else.
std::optional<int64_t> ParseCountQuantity(const nlohmann::json& quantity);

}  // namespace llm

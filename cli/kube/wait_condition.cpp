#include "kube/wait_condition.h"

#include <strings.h>

#include <cstdint>
#include <vector>

namespace llm::kube {
namespace {
using nlohmann::json;

bool EqualsIgnoreCase(const std::string& a, const std::string& b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<int64_t> IntAt(const json& object, const json::json_pointer& pointer) {
  if (!object.contains(pointer)) return std::nullopt;
  const json& value = object.at(pointer);
  if (!value.is_number_integer()) return std::nullopt;
  return value.get<int64_t>();
}

struct PathStep {
  std::string key;  ///< object member, or "" for a pure index step
  std::optional<size_t> index;
};

// Splits ".a.b\.c[2].d" into steps; returns nullopt on a malformed path.
std::optional<std::vector<PathStep>> ParsePath(std::string path) {
  if (path.size() >= 2 && path.front() == '{' && path.back() == '}') path = path.substr(1, path.size() - 2);
  if (path.empty() || path.front() != '.') return std::nullopt;
  std::vector<PathStep> steps;
  size_t i = 1;
  while (i <= path.size()) {
    PathStep step;
    while (i < path.size() && path[i] != '.' && path[i] != '[') {
      if (path[i] == '\\' && i + 1 < path.size()) ++i;
      step.key += path[i++];
    }
    if (!step.key.empty()) steps.push_back(step);
    while (i < path.size() && path[i] == '[') {
      auto close = path.find(']', i);
      if (close == std::string::npos) return std::nullopt;
      std::string digits = path.substr(i + 1, close - i - 1);
      if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
      steps.push_back(PathStep{"", static_cast<size_t>(std::stoul(digits))});
      i = close + 1;
    }
    if (i >= path.size()) break;
    if (path[i] != '.') return std::nullopt;
    ++i;
  }
  if (steps.empty()) return std::nullopt;
  return steps;
}

std::string ScalarText(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  return value.dump();  // numbers, booleans and null print as JSON does, like kubectl's jsonpath
}
}  // namespace

const json* FindCondition(const json& object, const std::string& type) {
  const json::json_pointer pointer("/status/conditions");
  if (!object.contains(pointer) || !object.at(pointer).is_array()) return nullptr;
  for (const json& condition : object.at(pointer)) {
    if (condition.is_object() && EqualsIgnoreCase(condition.value("type", ""), type)) return &condition;
  }
  return nullptr;
}

bool ConditionIsCurrent(const json& object, const json& condition) {
  auto generation = IntAt(object, json::json_pointer("/metadata/generation"));
  if (!generation) return true;
  auto observed = IntAt(condition, json::json_pointer("/observedGeneration"));
  if (!observed) observed = IntAt(object, json::json_pointer("/status/observedGeneration"));
  return !observed || *observed >= *generation;
}

WaitPredicate ConditionIs(std::string type, std::string status) {
  return [type = std::move(type), status = std::move(status)](const json* object) -> WaitCheck {
    if (object == nullptr) return {WaitState::kPending, "waiting for the object to exist"};
    const json* condition = FindCondition(*object, type);
    if (condition == nullptr) return {WaitState::kPending, "condition " + type + " not reported yet"};
    if (!ConditionIsCurrent(*object, *condition)) {
      return {WaitState::kPending, "condition " + type + " is stale (observedGeneration below generation)"};
    }
    const std::string actual = condition->value("status", "");
    if (EqualsIgnoreCase(actual, status)) return {WaitState::kDone, "condition met"};
    return {WaitState::kPending, "condition " + type + " is " + actual};
  };
}

WaitPredicate FieldIs(std::string path, std::optional<std::string> value) {
  auto steps = ParsePath(path);
  return [steps, path = std::move(path), value = std::move(value)](const json* object) -> WaitCheck {
    if (!steps)
      return {WaitState::kFailed, "invalid field path \"" + path + "\": expected a form like {.status.phase}"};
    if (object == nullptr) return {WaitState::kPending, "waiting for the object to exist"};
    const json* at = object;
    for (const PathStep& step : *steps) {
      if (!step.key.empty()) {
        if (!at->is_object() || !at->contains(step.key)) return {WaitState::kPending, path + " is not set"};
        at = &(*at)[step.key];
      } else {
        if (!at->is_array() || *step.index >= at->size()) return {WaitState::kPending, path + " is not set"};
        at = &(*at)[*step.index];
      }
    }
    if (at->is_object() || at->is_array()) {
      return {WaitState::kFailed, path + " is not a single scalar value, cannot be compared"};
    }
    if (!value) return {WaitState::kDone, "condition met"};
    const std::string actual = ScalarText(*at);
    if (actual == *value) return {WaitState::kDone, "condition met"};
    return {WaitState::kPending, path + " is " + actual};
  };
}

WaitPredicate IsDeleted(std::string uid) {
  return [uid = std::move(uid)](const json* object) -> WaitCheck {
    if (object == nullptr) return {WaitState::kDone, "deleted"};
    if (!uid.empty() && object->value("/metadata/uid"_json_pointer, std::string()) != uid) {
      return {WaitState::kDone, "deleted"};
    }
    return {WaitState::kPending, "waiting for deletion"};
  };
}

}  // namespace llm::kube

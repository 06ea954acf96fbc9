// -o json|yaml|name for API objects, as kubectl prints them: JSON indented by
// four spaces, YAML in block style, names as <resource>.<group>/<name>; keys in
// the JSON value's own order (sorted for nlohmann::json, as kubectl's YAML is;
// insertion order for ordered_json), so the same objects always print the same
// bytes.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "output/output_format.h"
#include "util/result.h"

namespace llm {

/// Block-style YAML through yaml-cpp. Strings that would read back as another
/// type (true, no, 1.0, 0x1F, null, ~, 1:20, empty) are double-quoted; numbers,
/// booleans and null print plainly; empty maps and lists print as {} and [].
std::string ToYaml(const nlohmann::json& value);
std::string ToYaml(const nlohmann::ordered_json& value);

/// Four-space indented JSON and a newline (kubectl's json printer).
std::string ToJson(const nlohmann::json& value);
std::string ToJson(const nlohmann::ordered_json& value);

/// "deployment.apps/chat", "pod/chat-0", "leaderworkerset.leaderworkerset.x-k8s.io/chat":
/// the kind lowercased (kubectl uses the resource's kind, not its plural here).
std::string ResourceName(const nlohmann::json& object);

/// Several objects: json/yaml print a v1 List (kubectl's shape for `get`:
/// apiVersion, items, kind, metadata.resourceVersion ""), name prints one line
/// per object. Table formats are refused: they need a table of their own.
Result<std::string> FormatObjectList(const std::vector<nlohmann::json>& objects, OutputFormat format);

/// One object: json/yaml print it alone, name prints its one line.
Result<std::string> FormatObject(const nlohmann::json& object, OutputFormat format);

}  // namespace llm

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

/// What a command prints for -o json (`document`: one object, or a List with
/// "items") under any -o that is not a table: json and yaml print it, name a
/// line per object (ResourceName), jsonpath its template's output over it
/// (kubectl's missing keys print nothing), custom-columns a row per item.
/// Table formats are refused: they need a table of their own.
Result<std::string> FormatDocument(const nlohmann::json& document, const OutputSpec& output, bool no_headers = false);
/// The same, printing json and yaml in the document's own key order.
Result<std::string> FormatDocument(const nlohmann::ordered_json& document, const OutputSpec& output,
                                   bool no_headers = false);

/// Several objects: as one v1 List (kubectl's shape for `get`: apiVersion,
/// items, kind, metadata.resourceVersion "") through FormatDocument.
Result<std::string> FormatObjectList(const std::vector<nlohmann::json>& objects, const OutputSpec& output);

/// One object through FormatDocument.
Result<std::string> FormatObject(const nlohmann::json& object, const OutputSpec& output);

}  // namespace llm

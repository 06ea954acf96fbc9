// Conversion between YAML text and JSON values: the parse-back of rendered
// templates (and of values and patch files), and the YAML printer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/result.h"

namespace llm {

using Json = nlohmann::ordered_json;

/// Parses every document of a YAML stream into JSON, keeping key order.
/// Quoted scalars are strings; plain scalars resolve as YAML 1.2's core schema
/// (null, bool, int, float, else string). Empty documents are skipped.
/// Duplicate keys, aliases to non-scalars deeper than they appear and non-string
/// keys are refused. `source` names the text in errors.
Result<std::vector<Json>> ParseYamlDocuments(std::string_view text, std::string_view source);

/// Writes `value` as block-style YAML (two-space indent, lists not indented under
/// their key, as kubectl prints). Strings are plain only where that reads back as
/// the same string, else double-quoted.
std::string EmitYaml(const Json& value);

/// Rendered objects (key order kept for printing) as the API client takes
/// them: the server does not care about key order.
std::vector<nlohmann::json> ToApiObjects(const std::vector<Json>& objects);

}  // namespace llm

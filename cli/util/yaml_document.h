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

/// Parses every document of a UTF-8 YAML stream into JSON, keeping key order,
/// with libyaml's event parser (no node tree in between). Quoted and block
/// scalars are strings; plain scalars resolve as YAML 1.2's core schema (null,
/// bool, int, float, else string). Empty documents are skipped; an alias is a
/// copy of what its anchor names. Duplicate keys, keys that are not scalars,
/// tags other than YAML's own, aliases inside the node they name, nesting
/// deeper than 1,000 levels and aliases expanding past a million nodes are
/// refused. Errors read "SOURCE: line L, column C: what".
/// Text in the simple block style of rendered templates is read without
/// libyaml (util/block_yaml.h), to the same result; all else goes to libyaml.
Result<std::vector<Json>> ParseYamlDocuments(std::string_view text, std::string_view source);

/// ParseYamlDocuments without its fast path: libyaml's parse of any text. The
/// tests and the fuzzer hold the fast path to it.
Result<std::vector<Json>> ParseYamlWithLibyaml(std::string_view text, std::string_view source);

/// Writes `value` as block-style YAML (two-space indent, lists not indented under
/// their key, as kubectl prints). Strings are plain only where that reads back as
/// the same string, else double-quoted.
std::string EmitYaml(const Json& value);

/// Rendered objects (key order kept for printing) as the API client takes
/// them: the server does not care about key order.
std::vector<nlohmann::json> ToApiObjects(const std::vector<Json>& objects);

}  // namespace llm

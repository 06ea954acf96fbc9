// Prints rendered manifests: multi-document YAML (default) or a v1 List in
// JSON. Byte-for-byte deterministic: same manifests, same text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "output/output_format.h"
#include "util/yaml_document.h"

namespace llm {

/// kJson: one v1 List; any other format: multi-document YAML (what render
/// prints without -o).
std::string FormatManifests(const std::vector<Json>& manifests, OutputFormat format);

/// The same for any -o: name, jsonpath and custom-columns read that v1 List
/// (output/object_printer.h's FormatDocument).
Result<std::string> FormatManifests(const std::vector<Json>& manifests, const OutputSpec& output);

}  // namespace llm

// Prints rendered manifests: multi-document YAML (default) or a v1 List in
// JSON. Byte-for-byte deterministic: same manifests, same text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/yaml_document.h"
#include "util/result.h"

namespace llm {

enum class ManifestFormat { kYaml, kJson };

/// "" or "yaml" -> kYaml, "json" -> kJson; else a usage error naming -o.
Result<ManifestFormat> ParseManifestFormat(std::string_view output);

std::string FormatManifests(const std::vector<Json>& manifests, ManifestFormat format);

}  // namespace llm

#include "render/manifest_printer.h"

#include <fmt/format.h>

namespace llm {

Result<ManifestFormat> ParseManifestFormat(std::string_view output) {
  if (output.empty() || output == "yaml") return ManifestFormat::kYaml;
  if (output == "json") return ManifestFormat::kJson;
  return Error(ErrorKind::kUsage, fmt::format("--output must be one of 'yaml' or 'json', got '{}'", output));
}

std::string FormatManifests(const std::vector<Json>& manifests, ManifestFormat format) {
  if (format == ManifestFormat::kJson) {
    Json list = {{"apiVersion", "v1"}, {"kind", "List"}, {"metadata", Json::object()}, {"items", manifests}};
    return list.dump(4) + "\n";
  }
  std::string out;
  for (const Json& m : manifests) {
    out += "---\n";
    out += EmitYaml(m);
  }
  return out;
}

}  // namespace llm

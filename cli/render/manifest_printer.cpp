#include "render/manifest_printer.h"

#include <fmt/format.h>

#include "output/object_printer.h"

namespace llm {

namespace {

Json ManifestList(const std::vector<Json>& manifests) {
  return {{"apiVersion", "v1"}, {"kind", "List"}, {"metadata", Json::object()}, {"items", manifests}};
}

}  // namespace

Result<std::string> FormatManifests(const std::vector<Json>& manifests, const OutputSpec& output) {
  if (output.is_table() || output.is_document()) return FormatManifests(manifests, output.format);
  return FormatDocument(ManifestList(manifests), output);
}

std::string FormatManifests(const std::vector<Json>& manifests, OutputFormat format) {
  if (format == OutputFormat::kJson) return ManifestList(manifests).dump(4) + "\n";
  std::string out;
  for (const Json& m : manifests) {
    out += "---\n";
    out += EmitYaml(m);
  }
  return out;
}

}  // namespace llm

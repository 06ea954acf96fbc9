#include "render/manifest_printer.h"

#include <fmt/format.h>

namespace llm {

std::string FormatManifests(const std::vector<Json>& manifests, OutputFormat format) {
  if (format == OutputFormat::kJson) {
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

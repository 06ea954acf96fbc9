// --patch KIND/NAME=FILE: a user's last-mile change to one rendered object.
// FILE (YAML or JSON) holding a list is an RFC 6902 JSON Patch; holding a
// mapping, an RFC 7386 JSON Merge Patch. KIND matches case-insensitively
// (deployment, Deployment); NAME is the object's metadata.name.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"
#include "util/yaml_document.h"

namespace llm {

struct PatchTarget {
  std::string kind;
  std::string name;
  std::string file;
};

Result<PatchTarget> ParsePatchFlag(std::string_view text);

/// Applies `patch_text` (the file's content) to the one object that matches.
/// An error names the flag when nothing matches or the patch fails.
Status ApplyManifestPatch(std::vector<Json>& manifests, const PatchTarget& target, std::string_view patch_text);

}  // namespace llm

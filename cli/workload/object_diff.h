// What `kubectl diff` does between fetching LIVE and MERGED and running
// `diff -u -N`, for one object (k8s.io/kubectl/pkg/cmd/diff/diff.go):
// - metadata.managedFields is dropped from both sides unless
//   --show-managed-fields. Nothing else is dropped: generation,
//   resourceVersion, uid, creationTimestamp and status stay, and a
//   server-side dry run changes them only where a real apply would.
// - a v1 Secret's `data` values are masked ("***", or "*** (before)" /
//   "*** (after)" where they differ) so secrets never reach the output.
// - each side is printed as YAML into a file named
//   <group.>version.Kind.namespace.name.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace llm {

/// Drops metadata.managedFields (kubectl's omitManagedFields). Null stays null.
nlohmann::json OmitManagedFields(nlohmann::json object);

/// kubectl's Masker, applied when `merged` is a v1 Secret, or `live` is one
/// and `merged` is null (a pruned or removed Secret: its data is masked too,
/// so no Secret value reaches the output). Either side may be null.
void MaskSecretData(nlohmann::json& live, nlohmann::json& merged);

/// "apps.v1.Deployment.default.chat", "v1.Service.default.chat": the file name
/// kubectl diff gives an object in its LIVE and MERGED directories.
std::string DiffFileName(const nlohmann::json& object);

/// One object's two sides as diff reads them, prepared as above: the file
/// name (of `to`, else `from`) and each side as YAML, "" for an absent side
/// (diff -N reads it as empty).
struct DiffFiles {
  std::string name;
  std::string from;
  std::string to;
};
DiffFiles PrepareDiffFiles(const nlohmann::json& from, const nlohmann::json& to, bool show_managed_fields = false);

/// The diff of one object: LIVE (null when absent) against MERGED, prepared as
/// above, printed as YAML, labelled "LIVE/<file>" and "MERGED/<file>". "" when
/// they are the same.
std::string DiffObject(const nlohmann::json& live, const nlohmann::json& merged, bool show_managed_fields = false);

/// The same between any two sides of one object, labelled "<from_dir>/<file>"
/// and "<to_dir>/<file>" (diff --revision: "REVISION-2", "LIVE").
std::string DiffObjectAs(const nlohmann::json& from, const nlohmann::json& to, std::string_view from_dir,
                         std::string_view to_dir, bool show_managed_fields = false);

}  // namespace llm

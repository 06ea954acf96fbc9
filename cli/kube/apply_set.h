// ApplySet (KEP-3659): the labels and annotations that make a parent object
// and its members one set, so a re-apply can prune exactly what was removed.
// The parent is a Secret; the id is computed exactly as kubectl's
// (pkg/cmd/apply/applyset.go): "applyset-" + base64url-nopad(sha256(
// "<name>.<namespace>.<kind>.<group>")) + "-v1".
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kube/rest_mapper.h"
#include "util/result.h"

namespace llm::kube {

inline constexpr char kApplySetIdLabel[] = "applyset.kubernetes.io/id";
inline constexpr char kApplySetPartOfLabel[] = "applyset.kubernetes.io/part-of";
inline constexpr char kApplySetToolingAnnotation[] = "applyset.kubernetes.io/tooling";
inline constexpr char kApplySetGroupKindsAnnotation[] = "applyset.kubernetes.io/contains-group-kinds";
inline constexpr char kApplySetNamespacesAnnotation[] = "applyset.kubernetes.io/additional-namespaces";
/// kubectl-llm's own annotation on its parents (not part of the KEP): what each
/// member was last applied as, so a re-apply neither reads every member before
/// applying it nor lists every kind to find what to prune (see applier.h).
/// A JSON object: {"<Kind.group>/<namespace>/<name>": {"digest": ..., "applied": ...}}.
inline constexpr char kApplySetMembersAnnotation[] = "kubectl-llm.dev/applyset-members";
/// The tool name in the tooling annotation; the version follows the slash.
inline constexpr char kApplySetToolName[] = "kubectl-llm";

std::string ApplySetId(const std::string& name, const std::string& ns, const std::string& kind,
                       const std::string& group);

/// "kubectl-llm/v0.1.0" for version "0.1.0".
std::string ApplySetTooling(const std::string& version);

/// Sorted, comma-separated "Kind.group" list (kubectl writes kinds, e.g.
/// "Deployment.apps,Service"), and back. An empty value is an empty set.
std::string FormatGroupKinds(const std::set<GroupKind>& group_kinds);
Result<std::set<GroupKind>> ParseGroupKinds(const std::string& value);
std::string FormatNamespaces(const std::set<std::string>& namespaces);
std::set<std::string> ParseNamespaces(const std::string& value);

/// One member as the parent records it.
struct MemberRecord {
  std::string digest;  ///< ManifestDigest of the object as it was last sent
  /// The managedFields time of this tool's Apply entry after that apply (when
  /// an apply of ours last changed the object); "" while that is the object's
  /// creation, so creating a set needs no second write of the parent.
  std::string applied;
  bool operator==(const MemberRecord&) const = default;
};
/// By MemberKey.
using MemberRecords = std::map<std::string, MemberRecord>;

/// "Deployment.apps/ml/chat"; cluster-scoped objects have an empty namespace ("Namespace//ml").
std::string MemberKey(const GroupKind& group_kind, const std::string& ns, const std::string& name);
/// The GroupKind a MemberKey names; nullopt when `key` is not one.
std::optional<GroupKind> MemberKeyGroupKind(const std::string& key);

/// A short digest (SHA-256, 128 bits, base64url) of an object as it is sent.
std::string ManifestDigest(const nlohmann::json& object);

/// What a live parent says about the set it records.
struct ApplySetParentState {
  std::set<GroupKind> group_kinds;
  std::set<std::string> additional_namespaces;
  /// nullopt: the parent records no members (an older kubectl-llm wrote it, or
  /// the annotation was damaged), so nothing can be assumed about them.
  std::optional<MemberRecords> members;
  bool operator==(const ApplySetParentState&) const = default;
};

/// Checks a live parent Secret before this tool mutates it, with kubectl's
/// messages: the id label must be present and match, and the tooling
/// annotation must name this tool (any version). Returns what it records.
Result<ApplySetParentState> ReadParent(const nlohmann::json& live_parent, const std::string& id);

/// The ApplySet parent as a caller read it just before the apply, while it
/// keeps every other writer of the set away (a recorded apply's pending
/// revision holds the workload): Apply starts from it instead of asking again.
struct ParentRead {
  std::optional<nlohmann::json> object;  ///< nullopt: there was none
};

/// The parent Secret as this tool applies it.
nlohmann::json BuildParentSecret(const std::string& name, const std::string& ns, const std::string& tooling,
                                 const ApplySetParentState& state);

/// Adds the part-of label to a member. A member that already carries a
/// part-of label for another set is refused (the KEP calls such a manifest invalid).
Status LabelMember(nlohmann::json& object, const std::string& id);

/// The listed members that were not applied in this run (matched by UID), and
/// that still carry this set's label and are not already being deleted.
std::vector<nlohmann::json> SelectPrunable(const std::vector<nlohmann::json>& listed, const std::string& id,
                                           const std::set<std::string>& applied_uids);

}  // namespace llm::kube

// ApplySet (KEP-3659): the labels and annotations that make a parent object
// and its members one set, so a re-apply can prune exactly what was removed.
// The parent is a Secret; the id is computed exactly as kubectl's
// (pkg/cmd/apply/applyset.go): "applyset-" + base64url-nopad(sha256(
// "<name>.<namespace>.<kind>.<group>")) + "-v1".
#pragma once

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

/// What a live parent says about the set it records.
struct ApplySetParentState {
  std::set<GroupKind> group_kinds;
  std::set<std::string> additional_namespaces;
};

/// Checks a live parent Secret before this tool mutates it, with kubectl's
/// messages: the id label must be present and match, and the tooling
/// annotation must name this tool (any version). Returns what it records.
Result<ApplySetParentState> ReadParent(const nlohmann::json& live_parent, const std::string& id);

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

// A workload's revision index: one Secret per workload holding the metadata of
// every revision Secret (the audit fields as labels and annotations, exactly
// what a metadata-only list of them returns), gzip-compressed. `history` reads
// this one small object instead of listing every revision: the list's items
// also carry each Secret's managedFields and ownerReferences, about 2.6 KB per
// revision, where the index holds a few hundred compressed bytes.
//
// The revision Secrets stay the record; the index is derived from them.
// WorkloadRevisions rewrites it whole from a fresh list after each change it
// makes, so a command that dies between the two writes leaves it one change
// behind until the next command repairs it, and a reader that finds no index
// (written by an older plugin, or too large) lists the revisions instead.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/result.h"
#include "workload/revision_record.h"

namespace llm {

inline constexpr char kRevisionIndexSecretType[] = "kubectl-llm.dev/revision-index.v1";
/// The index's own label: never the revisions' (kRevisionOfLabel), so listing
/// the revisions never returns it.
inline constexpr char kRevisionIndexOfLabel[] = "kubectl-llm.dev/revision-index-of";
/// Its key in data: gzip of {"apiVersion", "kind": "RevisionIndex", "workload", "revisions": [metadata...]}.
inline constexpr char kRevisionIndexKey[] = "index.json.gz";

/// Two annotations of the index say whether the workload is at rest, in a form
/// a JSON Patch "test" compares, so one conditional request both checks and
/// takes it (an unchanged re-apply records no revision, see
/// WorkloadRevisions::ClaimDeployed):
/// - the digest of the newest revision when that one is deployed by serve,
///   train, scale or rollback; "" when it is pending, failed or a delete;
inline constexpr char kDeployedDigestAnnotation[] = "kubectl-llm.dev/deployed-digest";
/// - until when (RFC 3339) a command re-applying that revision unchanged holds
///   the workload; "" when none does. Written only by that command: every
///   index write by a recording command leaves it "", and Begin's write tests
///   it first.
inline constexpr char kReapplyLeaseAnnotation[] = "kubectl-llm.dev/reapply-lease-until";

/// "kubectl-llm.NAME.index" (the revisions are "kubectl-llm.NAME.vN").
std::string RevisionIndexSecretName(std::string_view workload);

/// The whole index Secret of `revisions` (any order; kept oldest first).
nlohmann::json RevisionIndexSecret(std::string_view workload, std::string_view ns,
                                   std::vector<RevisionAudit> revisions);

/// JSON Patches of the index (RFC 6902), each failing as a whole (422) when a
/// "test" does not hold:
/// - takes the re-apply lease until `until` when `digest` is deployed and no
///   lease is held;
nlohmann::json ClaimReapplyPatch(std::string_view digest, std::string_view until);
/// - gives it back when it is still the one taken (no one took it over);
nlohmann::json ReleaseReapplyPatch(std::string_view until);
/// - replaces the index with `index_secret`'s revisions and at-rest digest
///   when no re-apply lease is held (a recording command beginning).
nlohmann::json ReplaceUnlessReappliedPatch(const nlohmann::json& index_secret);

/// The revisions of an index Secret, each as the metadata-only Secret a list
/// of the revisions would have returned ({"apiVersion", "kind", "metadata"}:
/// name, namespace, labels, annotations). Errors name what is damaged.
Result<std::vector<nlohmann::json>> RevisionIndexEntries(const nlohmann::json& index_secret);

}  // namespace llm

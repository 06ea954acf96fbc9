// Applier: applies a set of objects as one ApplySet with server-side apply.
//
// Order of work (kubectl's ApplySet flow, KEP-3659):
//  1. read the parent Secret, refusing one that another tool manages;
//  2. if the set names a kind, namespace or member the parent does not record
//     yet, apply the parent with the union of both, so a crash cannot hide a
//     member from later pruning (a re-apply of the same set writes nothing here);
//  3. apply the members in Helm's install order, each labelled part-of=<id>,
//     stage by stage (InstallStages), the members of a stage together;
//     after a CustomResourceDefinition, wait until it is Established and
//     refresh discovery, so its custom resources in the same set map;
//  4. only if every member applied: list the kinds that may hold a member this
//     run did not apply (those of recorded members left out; every recorded
//     kind when the parent records no members) with the part-of selector, and
//     delete what this run did not apply (matched by UID);
//  5. apply the parent again with exactly this set, if that changes it.
//
// The parent records each member (kApplySetMembersAnnotation): the digest of
// what was sent and the time of this tool's Apply entry in managedFields
// after the apply, which the server only moves when an apply changes the
// object. Per-object result, from the apply's answer alone:
//   created    201 Created;
//   unchanged  the same digest as recorded and the Apply entry's time as recorded;
//   configured otherwise (also: an object that existed outside the set);
//   pruned     deleted in step 4.
// A server dry run (which records nothing) and a parent without member
// records read each object before applying it instead: unchanged when the
// apply left metadata.resourceVersion as it was (dry run: the returned object
// equals the live one, ignoring resourceVersion, generation, managedFields).
// So re-applying an unchanged set of N objects takes N+1 requests (parent
// read, N applies), a change N+2, creating a set N+2; the applies take one
// round trip per install stage (a served model's objects have two).
//
// Data is never lost by default: a member that holds data (a
// PersistentVolumeClaim: a model cache, checkpoints) is not deleted when a
// re-apply drops it or the set is deleted; it is released from the set (its
// part-of label removed) and reported as kept, unless delete_data is set.
//
// Fields another actor may own by right (a replica count set through the
// scale subresource by `scale` or an autoscaler) are not fought over: a caller
// leaves them out of the manifest, or, when the user asked for a value, names
// them in force_fields, and an apply whose only conflicts are on those fields
// is sent once more with force.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "kube/apply_set.h"
#include "kube/rest_client.h"
#include "kube/rest_mapper.h"
#include "kube/waiter.h"
#include "util/result.h"

namespace llm::kube {

enum class ApplyAction {
  kCreated,
  kConfigured,
  kUnchanged,
  kPruned,
  kKept,  ///< a member holding data, released from the set instead of deleted
};

/// "created", "configured", "unchanged", "pruned", "kept".
std::string_view ActionVerb(ApplyAction action);

struct ObjectResult {
  ResourceRef ref;  ///< resource with namespace and name
  std::string kind;
  ApplyAction action = ApplyAction::kCreated;
  nlohmann::json object;  ///< the server's answer (for pruned: the object as listed)
};

/// kubectl's line: "deployment.apps/chat configured", plus " (server dry run)";
/// a kept member says why and how to remove it.
std::string FormatResult(const ObjectResult& result, bool dry_run);

/// Kinds whose objects hold data that a delete would destroy (PersistentVolumeClaim).
bool HoldsData(const std::string& group, const std::string& kind);

struct ApplySetRef {
  std::string name;  ///< the parent Secret's name
  std::string ns;    ///< the parent Secret's namespace (required)
};

struct ApplierOptions {
  /// For namespaced objects that name none; usually the parent's namespace.
  std::string default_namespace;
  bool dry_run = false;          ///< dryRun=All on every request, including the parent and prune deletes
  bool force_conflicts = false;  ///< force=true on member applies (never on the parent)
  /// Conflicting fields (in the server's form, ".spec.replicas") this apply may
  /// take: a conflict on these alone is applied again with force.
  std::set<std::string> force_fields;
  /// kubectl's rule for an explicit -n: a namespaced object in another
  /// namespace than default_namespace is refused before anything is written.
  bool enforce_namespace = false;
  bool prune = true;
  /// Prune and Delete remove members that hold data too (else they are kept).
  bool delete_data = false;
  /// Delete only: nothing that writes is sent; the results say what would go
  /// (delete --dry-run=client, which reads the set as kubectl's reads its objects).
  bool dry_run_client = false;
  /// Delete only: how dependents go (Background, Foreground, Orphan: delete
  /// --cascade) and the pods' grace period (--grace-period; none: their own).
  std::string propagation_policy = "Background";
  std::optional<int64_t> grace_period_seconds;
  std::string field_manager = "kubectl-llm";
  /// The parent's tooling annotation, e.g. ApplySetTooling(GetBuildInfo().version).
  std::string tooling;
  std::chrono::milliseconds crd_established_timeout = std::chrono::seconds(60);
  /// Apply only: the parent as just read (else Apply reads it).
  std::optional<ParentRead> parent_read;
};

struct ApplyOutcome {
  std::vector<ObjectResult> results;  ///< applied in order, then pruned
  std::vector<Error> errors;          ///< members that failed; pruning is skipped when any did
  bool pruned = false;                ///< whether the prune step ran
  /// Apply: the parent's uid as the apply left it, so its dependents can name
  /// it as their owner ("" where it could not be written).
  std::string parent_uid;
};

class Applier {
 public:
  Applier(RestClient& client, RestMapper& mapper, Waiter& waiter) : client_(client), mapper_(mapper), waiter_(waiter) {}

  /// Errors returned (rather than collected in ApplyOutcome::errors) stop
  /// everything before any member is applied: invalid objects, a parent owned
  /// by someone else, a parent that cannot be written.
  Result<ApplyOutcome> Apply(std::vector<nlohmann::json> objects, const ApplySetRef& set,
                             const ApplierOptions& options);

  /// Deletes every member of the set (workloads first, namespaces last), then
  /// the parent, so `delete` removes exactly what was made. Results are
  /// kPruned, or kKept for members that hold data (unless delete_data). A
  /// missing parent is kNotFound; a foreign one is refused. The parent stays
  /// when a member could not be deleted, so a retry finds the rest.
  Result<ApplyOutcome> Delete(const ApplySetRef& set, const ApplierOptions& options);

 private:
  struct AppliedMember {
    ObjectResult result;
    std::string key;      ///< MemberKey
    MemberRecord record;  ///< what the parent should record for it now
  };
  struct RecordedParent {
    ApplySetParentState state;  ///< what the live parent records; no members when there is none
    bool existed = false;
    std::string uid;
  };
  /// Validates and labels `objects` as members of the set `id` and returns the
  /// state the parent must record for them (kinds, namespaces, member records).
  Result<ApplySetParentState> PlanMembers(std::vector<nlohmann::json>& objects, const std::string& id,
                                          const ApplySetRef& set, const ApplierOptions& options);
  /// The parent as it is now (`known`, else read); a parent owned by other
  /// tooling is an error.
  Result<RecordedParent> ReadRecordedParent(const ApplySetRef& set, const std::string& id,
                                            const std::optional<ParentRead>& known);
  /// A member about to be sent: its result so far (ref, kind), its key, and
  /// what its verb will be judged by.
  struct PendingMember {
    AppliedMember member;
    PlannedApply apply;                    ///< the object as it goes, and how
    std::string digest;                    ///< ManifestDigest of the object
    std::optional<MemberRecord> recorded;  ///< what the parent records of it
    bool read_first = false;               ///< the verb needs the object as it was:
    std::optional<nlohmann::json> live;    ///< that (none: it did not exist)
  };
  /// Maps the object, sets its namespace, and says whether its verb needs it read first.
  Result<PendingMember> Prepare(nlohmann::json object, const ApplierOptions& options,
                                const ApplySetParentState& recorded, bool parent_existed);
  /// Takes the apply's answer: a conflict on force_fields alone is sent again
  /// with force; then the verb, the record, and a CRD waited for.
  Result<AppliedMember> Conclude(PendingMember pending, Result<AppliedObject> sent, const ApplierOptions& options);
  /// Applies the objects of one install stage together (RestClient::ApplyObjects),
  /// after reading those that need it together (Prefetch): each one's member, or its error ("applying KIND \"NAME\"..."), in order.
  std::vector<Result<AppliedMember>> ApplyStage(std::span<nlohmann::json> stage, const ApplierOptions& options,
                                                const ApplySetParentState& recorded, bool parent_existed);
  /// Lists `group_kinds` in the set's namespaces and deletes the members not applied.
  Status Prune(const std::string& id, const ApplySetRef& set, const std::set<GroupKind>& group_kinds,
               const std::set<std::string>& additional_namespaces, const std::set<std::string>& applied_uids,
               const ApplierOptions& options, ApplyOutcome& outcome);
  /// After a CRD is Established: waits (until `timeout`) for discovery to
  /// serve its kind at each served version, so its resources can map.
  Status WaitUntilDiscoverable(const nlohmann::json& crd, std::chrono::milliseconds timeout);
  /// Applies the parent recording `state`; returns its uid.
  Result<std::string> WriteParent(const ApplySetRef& set, const ApplySetParentState& state,
                                  const ApplierOptions& options);

  RestClient& client_;
  RestMapper& mapper_;
  Waiter& waiter_;
};

}  // namespace llm::kube

// A workload's revisions in the cluster (workload/revision_record.h has the
// record itself): listing them by metadata only, reading one, and the life of
// one that a command records: pending before anything is applied, then
// deployed or failed, older ones superseded and pruned past --history-max;
// after each change, the workload's revision index (workload/revision_index.h)
// is rewritten from what the revisions now say.
//
// A pending revision is a lease, never a lock: a command that dies (Ctrl-C, a
// killed CI job) leaves it pending until its lease_until, after which the
// next command marks it failed ("interrupted") and goes on, with a warning.
#pragma once

#include <chrono>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "kube/apply_set.h"
#include "kube/config_flags.h"
#include "kube/rest_client.h"
#include "util/clock.h"
#include "util/io_streams.h"
#include "util/result.h"
#include "workload/revision_record.h"

namespace llm {

class ClusterSession;

/// The audit fields that come from who runs the command and where.
struct CallerIdentity {
  std::string user;
  std::vector<std::string> groups;
  std::string real_user;  ///< under --as: the user the credentials belong to
  std::string context;
  std::string server;
  std::string command_line;  ///< redacted
};

/// Asks the API server who the caller is (SelfSubjectReview); under --as asks
/// a second time without impersonation for the real user.
Result<CallerIdentity> IdentifyCaller(ClusterSession& session, const kube::ConfigFlags& flags,
                                      const std::vector<std::string>& args, IoStreams streams);

/// A revision of `operation` by `caller`, holding `objects`, for Begin.
Revision NewRevision(const CallerIdentity& caller, std::string operation, std::vector<nlohmann::json> objects);

/// The newest revision that applied objects (neither pending nor a delete):
/// the one whose change-cause the live objects carry. Null when none.
const RevisionAudit* NewestApplied(const std::vector<RevisionAudit>& history);

/// The --history-max default: Helm's, and kubectl's revisionHistoryLimit.
inline constexpr int kDefaultHistoryMax = 10;
/// The manager that applies the revision index (workload/revision_index.h).
inline constexpr char kRevisionIndexFieldManager[] = "kubectl-llm-history";

class WorkloadRevisions {
 public:
  WorkloadRevisions(kube::RestClient& client, Clock& clock, std::string ns, std::string workload)
      : client_(client), clock_(clock), ns_(std::move(ns)), workload_(std::move(workload)) {}

  /// Every revision's audit fields, by a metadata-only list (no payloads).
  Result<std::vector<RevisionAudit>> List();
  /// What Begin reads before it writes (the revisions' list and the ApplySet
  /// parent), for RestClient::Prefetch.
  std::vector<kube::PlannedRead> BeginReads() const;
  /// One revision with its objects.
  Result<Revision> Read(int number);

  /// Records `revision` as pending under the next number, owned by the
  /// ApplySet parent when that exists: takes over a pending revision whose
  /// lease expired (a warning on `warnings`), refuses one whose lease holds
  /// (kConflict), and refuses a revision too large for one Secret. Nothing is
  /// applied before this succeeds. The change-cause is the command line (the
  /// previous one when the objects did not change) unless `revision` has one.
  Result<RevisionAudit> Begin(Revision revision, std::chrono::seconds lease, std::ostream& warnings);

  /// Writes what `audit` learned (status, finished now, wait outcome, reason,
  /// description), owned by the ApplySet parent. When it is deployed, the
  /// older deployed revisions become superseded and, with history_max > 0,
  /// only the newest history_max revisions are kept.
  /// `own`: make the ApplySet parent the revision's owner (false for a
  /// delete --keep-history, whose parent is gone).
  Status Finish(RevisionAudit& audit, int history_max, bool own = true);

  /// The ApplySet parent as Begin read it (nullopt when that read failed):
  /// the apply under Begin's revision starts from it (ApplierOptions::parent_read).
  const std::optional<kube::ParentRead>& begun_parent() const { return begun_parent_; }
  /// The parent's uid as the apply left it: Finish makes it the revision's
  /// owner without reading it again (the first revision, whose parent the
  /// apply made).
  void ParentApplied(const std::string& uid);

  /// What ClaimDeployed reads first (the revision index), for RestClient::Prefetch.
  std::vector<kube::PlannedRead> ClaimReads() const;
  /// An unchanged re-apply (recorded_apply.h's ReapplyDeployedRevision): when
  /// the revision index says the newest revision is deployed with `digest`
  /// and no command holds the workload, takes it until now + `lease` in one
  /// conditional request and returns that revision, whose change-cause the
  /// objects keep. Nullopt when the index says otherwise (another digest, a
  /// pending or failed newest revision, a hold) or there is none, or the
  /// caller may not patch it: the caller records a revision instead, which
  /// sorts out each case with its own message. The index is read first, so a
  /// create or a change writes nothing here; the claim itself is sent with the
  /// read of the ApplySet parent that the apply under it makes first.
  Result<std::optional<RevisionAudit>> ClaimDeployed(const std::string& digest, std::chrono::seconds lease);
  /// Gives back what ClaimDeployed took (an error when its hold ended and
  /// another command took the workload over).
  Status ReleaseDeployed();

  /// Drops the ApplySet parent's ownership of every revision and of the
  /// index, so deleting the parent (delete --keep-history) leaves the
  /// history in place.
  Status Release();

 private:
  /// The merge patch that writes what `audit` learned; `owner`: the ownerReferences to set too.
  kube::PlannedWrite StatusWrite(const RevisionAudit& audit, const std::optional<nlohmann::json>& owner) const;
  /// Sends StatusWrite.
  Status Patch(const RevisionAudit& audit, const std::optional<nlohmann::json>& owner);
  /// The write that makes the revision index hold `history`, owned by `owner`:
  /// an apply, or a delete when it would not fit in one Secret.
  kube::PlannedWrite IndexWrite(const std::vector<RevisionAudit>& history,
                                const std::optional<nlohmann::json>& owner) const;
  /// Rewrites the revision index from `history` (every revision there is),
  /// owned by `owner`; removes it when it would not fit in one Secret.
  Status WriteIndex(const std::vector<RevisionAudit>& history, const std::optional<nlohmann::json>& owner);
  /// Begin's index write, made only while no unchanged re-apply holds the
  /// workload (kConflict when one does; an expired hold is taken over with a
  /// warning), so that re-apply and this revision never apply at once. The
  /// first revision writes none: nothing is deployed for a re-apply to hold,
  /// and until Finish writes it, history lists the revisions instead.
  Status WriteIndexUnlessReapplied(const std::vector<RevisionAudit>& history,
                                   const std::optional<nlohmann::json>& owner, std::ostream& warnings);
  /// Reads the ApplySet parent into begun_parent_; [it as owner] when it exists.
  std::optional<nlohmann::json> ReadParentOwner();
  /// [the ApplySet parent Secret with `uid` as owner].
  nlohmann::json ParentOwnerReferences(const std::string& uid) const;

  kube::RestClient& client_;
  Clock& clock_;
  std::string ns_;
  std::string workload_;
  /// What Begin learned: the history with its pending revision in it, and the
  /// parent's ownerReferences when the parent existed. The pending
  /// revision's lease keeps every other command off this history until
  /// Finish, which reuses both instead of asking the server again.
  std::optional<std::vector<RevisionAudit>> begun_history_;
  std::optional<nlohmann::json> begun_owner_;
  std::optional<kube::ParentRead> begun_parent_;
  /// The hold ClaimDeployed took ("" when none), which ReleaseDeployed gives back.
  std::string claimed_until_;
};

}  // namespace llm

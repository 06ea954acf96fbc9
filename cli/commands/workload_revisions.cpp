#include "commands/workload_revisions.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "commands/cluster_session.h"
#include "kube/object_fields.h"
#include "kube/paged_list.h"
#include "kube/resource_ref.h"
#include "kube/self_subject_review.h"
#include "util/build_info.h"
#include "util/redacted_command_line.h"
#include "util/rfc3339.h"
#include "workload/revision_index.h"

namespace llm {
namespace {

using nlohmann::json;

std::string Now(const Clock& clock) {
  return FormatRfc3339(std::chrono::time_point_cast<std::chrono::seconds>(clock.Now()));
}

/// How long recording a revision's outcome keeps trying while the server
/// cannot be reached (restarting, a dropped connection). The patch sets the
/// same labels and annotations each time, so sending it again is harmless,
/// and giving up leaves the revision pending, which refuses every rerun until
/// its lease ends.
constexpr std::chrono::seconds kOutcomeRetryFor{20};

}  // namespace

Result<CallerIdentity> IdentifyCaller(ClusterSession& session, const kube::ConfigFlags& flags,
                                      const std::vector<std::string>& args, IoStreams streams) {
  CallerIdentity identity;
  LLM_ASSIGN_OR_RETURN(kube::UserIdentity who, kube::WhoAmI(session.client()));
  identity.user = who.username;
  identity.groups = who.groups;
  if (!flags.impersonate.empty() || !flags.impersonate_groups.empty()) {
    kube::ConfigFlags real = flags;
    real.impersonate.clear();
    real.impersonate_groups.clear();
    LLM_ASSIGN_OR_RETURN(std::unique_ptr<ClusterSession> unimpersonated, ClusterSession::Open(real, streams));
    LLM_ASSIGN_OR_RETURN(kube::UserIdentity real_who, kube::WhoAmI(unimpersonated->client()));
    identity.real_user = real_who.username;
  }
  identity.context = session.context();
  identity.server = session.server();
  identity.command_line = RedactedCommandLine(args);
  return identity;
}

Revision NewRevision(const CallerIdentity& caller, std::string operation, std::vector<json> objects) {
  Revision revision;
  revision.objects = std::move(objects);
  revision.audit.operation = std::move(operation);
  revision.audit.user = caller.user;
  revision.audit.groups = caller.groups;
  revision.audit.real_user = caller.real_user;
  revision.audit.context = caller.context;
  revision.audit.server = caller.server;
  revision.audit.command_line = caller.command_line;
  return revision;
}

const RevisionAudit* NewestApplied(const std::vector<RevisionAudit>& history) {
  const RevisionAudit* newest = nullptr;
  for (const RevisionAudit& r : history) {
    if (r.status != RevisionStatus::kPending && r.operation != "delete" && (!newest || r.number > newest->number)) {
      newest = &r;
    }
  }
  return newest;
}

namespace {
kube::ListOptions RevisionsOf(const std::string& workload) {
  kube::ListOptions options;
  options.label_selector = std::string(kRevisionOfLabel) + "=" + workload;
  return options;
}
}  // namespace

std::vector<kube::PlannedRead> WorkloadRevisions::BeginReads() const {
  return {kube::PlannedRead::List(kube::core::Secrets(ns_), RevisionsOf(workload_), /*metadata_only=*/true),
          kube::PlannedRead::Get(kube::core::Secrets(ns_, workload_))};
}

Result<std::vector<RevisionAudit>> WorkloadRevisions::List() {
  std::vector<RevisionAudit> audits;
  LLM_RETURN_IF_ERROR(kube::ForEachListPage(
      client_, kube::core::Secrets(ns_), RevisionsOf(workload_),
      [&](json& page) -> Status {
        for (const json& item : page["items"]) {
          Result<RevisionAudit> audit = ReadRevisionAudit(item);
          // One damaged record must not hide the rest of the history.
          if (audit.ok()) audits.push_back(std::move(*audit));
        }
        return Ok();
      },
      kube::ListItems::kMetadataOnly));
  return audits;
}

Result<Revision> WorkloadRevisions::Read(int number) {
  Result<json> secret = client_.Get(kube::core::Secrets(ns_, RevisionSecretName(workload_, number)));
  if (!secret.ok()) {
    if (secret.error().kind() == ErrorKind::kNotFound) {
      return Error(ErrorKind::kNotFound, fmt::format("{} has no revision {} in namespace {} (see `kubectl llm "
                                                     "history {}`)",
                                                     workload_, number, ns_, workload_));
    }
    return secret.error();
  }
  Revision revision;
  LLM_ASSIGN_OR_RETURN(revision.audit, ReadRevisionAudit(*secret));
  LLM_ASSIGN_OR_RETURN(revision.objects, ReadRevisionObjects(*secret));
  return revision;
}

Result<RevisionAudit> WorkloadRevisions::Begin(Revision revision, std::chrono::seconds lease, std::ostream& warnings) {
  LLM_ASSIGN_OR_RETURN(std::vector<RevisionAudit> history, List());
  int latest = 0;
  for (const RevisionAudit& audit : history) latest = std::max(latest, audit.number);
  const auto now = clock_.Now();
  for (RevisionAudit& pending : history) {
    if (pending.status != RevisionStatus::kPending) continue;
    const auto until = ParseRfc3339(pending.lease_until);
    if (until && *until > now) {
      return Error(ErrorKind::kConflict,
                   fmt::format("revision {} of {} is pending: {} started `{}` at {} and holds it until {}; retry "
                               "after that (an interrupted command's hold ends on its own)",
                               pending.number, workload_, pending.user.empty() ? "someone" : pending.user,
                               pending.command_line, pending.started, pending.lease_until));
    }
    warnings << fmt::format(
        "Warning: revision {} of {} was left pending by {} at {} (its command ended without an outcome); "
        "marking it failed and taking over\n",
        pending.number, workload_, pending.user.empty() ? "someone" : pending.user, pending.started);
    pending.status = RevisionStatus::kFailed;
    pending.finished = Now(clock_);
    pending.reason = fmt::format(
        "interrupted: its command ended before recording an outcome; taken over by "
        "revision {}",
        latest + 1);
    pending.lease_until.clear();
    LLM_RETURN_IF_ERROR(Patch(pending, std::nullopt));
  }

  RevisionAudit& audit = revision.audit;
  audit.workload = workload_;
  audit.ns = ns_;
  audit.number = latest + 1;
  audit.status = RevisionStatus::kPending;
  audit.started = Now(clock_);
  audit.lease_until = FormatRfc3339(std::chrono::time_point_cast<std::chrono::seconds>(now + lease));
  audit.plugin_version = GetBuildInfo().version;
  audit.digest = RenderedDigest(revision.objects);
  audit.images = ImageReferences(revision.objects);
  // A cause set by the caller stays (scale keeps the one the live objects carry).
  if (audit.change_cause.empty()) {
    audit.change_cause = audit.command_line;
    const RevisionAudit* previous = NewestApplied(history);
    // Re-running a command that changes nothing keeps the cause, so the objects stay unchanged.
    if (previous && previous->digest == audit.digest && !previous->change_cause.empty()) {
      audit.change_cause = previous->change_cause;
    }
  }
  json secret = RevisionSecret(revision);
  LLM_RETURN_IF_ERROR(CheckRevisionSize(secret));
  const std::optional<json> owner = ReadParentOwner();
  if (owner) secret["metadata"]["ownerReferences"] = *owner;
  Result<json> created =
      client_.Create(kube::core::Secrets(ns_, RevisionSecretName(workload_, audit.number)), secret, /*dry_run=*/false);
  if (!created.ok()) {
    if (created.error().kind() == ErrorKind::kAlreadyExists) {
      return Error(ErrorKind::kConflict,
                   fmt::format("another command recorded revision {} of {} at the same time; nothing was applied, "
                               "run it again",
                               audit.number, workload_));
    }
    return created.error().WithContext(fmt::format("recording revision {} of {}", audit.number, workload_));
  }
  audit.secret_name = RevisionSecretName(workload_, audit.number);
  history.push_back(audit);
  Status indexed = WriteIndexUnlessReapplied(history, owner, warnings);
  if (!indexed.ok() && indexed.error().kind() == ErrorKind::kConflict) {
    // Nothing was applied under it: the revision goes, as if this command had not begun.
    Result<json> dropped = client_.Delete(kube::core::Secrets(ns_, audit.secret_name), kube::DeleteOptions{});
    if (!dropped.ok() && dropped.error().kind() != ErrorKind::kNotFound) {
      warnings << fmt::format("Warning: revision {} of {} could not be removed ({}); it stays pending until {}\n",
                              audit.number, workload_, dropped.error().message(), audit.lease_until);
    }
    return indexed.error();
  }
  // Any other failure: the revision is recorded and holds the workload; failing now would leave it pending for
  // its whole lease (a rerun refused) over an index that Finish rewrites anyway.
  if (!indexed.ok()) {
    warnings << fmt::format("Warning: {}; history shows revision {} once this command finishes\n",
                            indexed.error().message(), audit.number);
  }
  begun_history_ = std::move(history);
  begun_owner_ = owner;
  return audit;
}

Status WorkloadRevisions::WriteIndexUnlessReapplied(const std::vector<RevisionAudit>& history,
                                                    const std::optional<json>& owner, std::ostream& warnings) {
  // Only this revision: there is no deployed one for a re-apply to hold, and a
  // history read without an index lists the revisions (this pending one
  // included), so the index waits for Finish.
  if (history.size() == 1) return Ok();
  const kube::ResourceRef ref = kube::core::Secrets(ns_, RevisionIndexSecretName(workload_));
  const json index = RevisionIndexSecret(workload_, ns_, history);
  if (GzipDataBytes(index, kRevisionIndexKey) > kMaxSecretDataBytes) return WriteIndex(history, owner);
  Result<json> replaced = client_.JsonPatch(ref, ReplaceUnlessReappliedPatch(index), kRevisionIndexFieldManager);
  if (replaced.ok()) return Ok();
  // None: removed as too large, or by hand.
  if (replaced.error().kind() == ErrorKind::kNotFound) return WriteIndex(history, owner);
  if (replaced.error().kind() != ErrorKind::kInvalid) {
    return replaced.error().WithContext(fmt::format("updating the revision index of {}", workload_));
  }
  // The test failed: a hold, or an index written before holds existed (no annotation: none can be held).
  Result<json> live = client_.Get(ref);
  if (!live.ok()) return live.error().WithContext(fmt::format("reading the revision index of {}", workload_));
  const std::string until = AnnotationOf(*live, kReapplyLeaseAnnotation);
  if (!until.empty()) {
    const auto parsed = ParseRfc3339(until);
    if (parsed && *parsed > clock_.Now()) {
      return Error(ErrorKind::kConflict,
                   fmt::format("another command is applying {} again unchanged and holds it until {}; nothing was "
                               "applied, retry after that",
                               workload_, until));
    }
    warnings << fmt::format(
        "Warning: a command applying {} again unchanged held it until {} and ended without giving it back; taking "
        "over\n",
        workload_, until);
  }
  return WriteIndex(history, owner);
}

std::vector<kube::PlannedRead> WorkloadRevisions::ClaimReads() const {
  return {kube::PlannedRead::Get(kube::core::Secrets(ns_, RevisionIndexSecretName(workload_)))};
}

Result<std::optional<RevisionAudit>> WorkloadRevisions::ClaimDeployed(const std::string& digest,
                                                                      std::chrono::seconds lease) {
  const kube::ResourceRef index = kube::core::Secrets(ns_, RevisionIndexSecretName(workload_));
  const auto unclaimable = [](ErrorKind kind) {
    return kind == ErrorKind::kInvalid || kind == ErrorKind::kNotFound || kind == ErrorKind::kForbidden;
  };
  // What the claim's test would find, read first: a create or a change (most
  // commands that are not a re-apply) then sends no write that fails.
  Result<json> live = client_.Get(index);
  if (!live.ok()) {
    if (unclaimable(live.error().kind())) return std::optional<RevisionAudit>();
    return live.error().WithContext(fmt::format("reading the revision index of {}", workload_));
  }
  if (AnnotationOf(*live, kDeployedDigestAnnotation) != digest || !AnnotationOf(*live, kReapplyLeaseAnnotation).empty())
    return std::optional<RevisionAudit>();
  const std::string until = FormatRfc3339(std::chrono::time_point_cast<std::chrono::seconds>(clock_.Now() + lease));
  // The claim's own test decides (another command may have come in between).
  // The parent's read goes with it, for the apply under the hold. Answered
  // before the claim, it may predate only a command that deployed this same
  // digest meanwhile (any other would hold the index or have changed its
  // digest): its parent then names these members or more, what the apply
  // writes first is a superset still, and its last write the exact set.
  Result<json> claimed = std::move(
      client_
          .WriteTogetherPrefetching(
              {kube::PlannedWrite::JsonPatch(index, ClaimReapplyPatch(digest, until), kRevisionIndexFieldManager)},
              {kube::PlannedRead::Get(kube::core::Secrets(ns_, workload_))})
          .front());
  if (!claimed.ok()) {
    if (unclaimable(claimed.error().kind())) return std::optional<RevisionAudit>();
    return claimed.error().WithContext(fmt::format("reading the revision index of {}", workload_));
  }
  claimed_until_ = until;
  // The index named this digest deployed; its newest entry is that revision.
  std::optional<RevisionAudit> newest;
  Result<std::vector<json>> entries = RevisionIndexEntries(*claimed);
  if (entries.ok()) {
    for (const json& entry : *entries) {
      Result<RevisionAudit> audit = ReadRevisionAudit(entry);
      if (audit.ok() && (!newest || audit->number > newest->number)) newest = std::move(*audit);
    }
  }
  if (!newest || newest->status != RevisionStatus::kDeployed || newest->digest != digest) {
    // An index whose annotation and entries disagree (written by hand): record a revision, which rewrites it.
    LLM_RETURN_IF_ERROR(ReleaseDeployed());
    return std::optional<RevisionAudit>();
  }
  return newest;
}

Status WorkloadRevisions::ReleaseDeployed() {
  if (claimed_until_.empty()) return Ok();
  const std::string until = std::exchange(claimed_until_, "");
  Result<json> released = client_.JsonPatch(kube::core::Secrets(ns_, RevisionIndexSecretName(workload_)),
                                            ReleaseReapplyPatch(until), kRevisionIndexFieldManager);
  if (released.ok()) return Ok();
  if (released.error().kind() == ErrorKind::kInvalid) {
    return Error(ErrorKind::kConflict,
                 fmt::format("{}'s hold ended at {} before this command finished, and another command took it over",
                             workload_, until));
  }
  return released.error().WithContext(fmt::format("giving back the hold on {}'s revision index", workload_));
}

std::optional<json> WorkloadRevisions::ReadParentOwner() {
  begun_parent_.reset();
  Result<json> parent = client_.Get(kube::core::Secrets(ns_, workload_));
  if (!parent.ok()) {
    if (parent.error().kind() == ErrorKind::kNotFound) begun_parent_ = kube::ParentRead{};
    return std::nullopt;
  }
  begun_parent_ = kube::ParentRead{*parent};
  const std::string uid = StringAt(*parent, {"metadata", "uid"});
  if (uid.empty()) return std::nullopt;
  return ParentOwnerReferences(uid);
}

json WorkloadRevisions::ParentOwnerReferences(const std::string& uid) const {
  // Owned by the parent, so deleting the workload's ApplySet takes its history along.
  return json::array({{{"apiVersion", "v1"}, {"kind", "Secret"}, {"name", workload_}, {"uid", uid}}});
}

void WorkloadRevisions::ParentApplied(const std::string& uid) {
  if (!uid.empty()) begun_owner_ = ParentOwnerReferences(uid);
}

kube::PlannedWrite WorkloadRevisions::StatusWrite(const RevisionAudit& audit, const std::optional<json>& owner) const {
  json patch = RevisionStatusPatch(audit);
  if (owner) patch["metadata"]["ownerReferences"] = *owner;
  return kube::PlannedWrite::MergePatch(kube::core::Secrets(ns_, RevisionSecretName(workload_, audit.number)),
                                        std::move(patch));
}

Status WorkloadRevisions::Patch(const RevisionAudit& audit, const std::optional<json>& owner) {
  const kube::PlannedWrite write = StatusWrite(audit, owner);
  Result<json> patched = client_.MergePatch(write.ref, write.body, false);
  if (!patched.ok())
    return patched.error().WithContext(fmt::format("updating revision {} of {}", audit.number, workload_));
  return Ok();
}

Status WorkloadRevisions::Finish(RevisionAudit& audit, int history_max, bool own) {
  audit.finished = Now(clock_);
  audit.lease_until.clear();
  // The parent found by Begin or made by the apply (ParentApplied), else asked for now.
  const std::optional<json> owner = !own ? std::nullopt : begun_owner_ ? begun_owner_ : ReadParentOwner();
  std::vector<RevisionAudit> history;
  if (begun_history_) {
    history = std::move(*begun_history_);
  } else {  // not begun by this object
    LLM_ASSIGN_OR_RETURN(history, List());
  }
  begun_history_.reset();
  begun_owner_.reset();
  auto own_entry =
      std::find_if(history.begin(), history.end(), [&](const RevisionAudit& r) { return r.number == audit.number; });
  if (own_entry != history.end()) {
    *own_entry = audit;
  } else {
    history.push_back(audit);
  }

  // Everything this outcome changes goes together (one round trip): the
  // revision's own record first, then what a deployed one supersedes and
  // prunes, then the index of what is left. Each is kept by its own write, so
  // one that fails leaves the others right, and the next command that begins a
  // revision rewrites the index from the revisions themselves.
  std::vector<kube::PlannedWrite> writes{StatusWrite(audit, owner)};
  std::vector<std::string> failing{fmt::format("updating revision {} of {}", audit.number, workload_)};
  std::vector<RevisionAudit> kept;
  if (audit.status != RevisionStatus::kDeployed) {
    kept = std::move(history);
  } else {
    std::sort(history.begin(), history.end(),
              [](const RevisionAudit& a, const RevisionAudit& b) { return a.number > b.number; });
    for (RevisionAudit& older : history) {
      if (older.number < audit.number && older.status == RevisionStatus::kDeployed) {
        older.status = RevisionStatus::kSuperseded;
        writes.push_back(StatusWrite(older, std::nullopt));
        failing.push_back(fmt::format("updating revision {} of {}", older.number, workload_));
      }
    }
    for (size_t i = 0; i < history.size(); ++i) {
      // A pending revision belongs to a command still running (or to takeover).
      if (history_max <= 0 || i < static_cast<size_t>(history_max) || history[i].status == RevisionStatus::kPending) {
        kept.push_back(history[i]);
        continue;
      }
      writes.push_back(kube::PlannedWrite::Delete(kube::core::Secrets(ns_, history[i].secret_name), {}));
      failing.push_back(
          fmt::format("pruning revision {} of {} (--history-max {})", history[i].number, workload_, history_max));
    }
  }
  writes.push_back(IndexWrite(kept, owner));
  failing.push_back(fmt::format("{} the revision index of {}",
                                writes.back().verb == kube::PlannedWrite::Verb::kDelete ? "removing" : "updating",
                                workload_));

  std::vector<Result<json>> answers = client_.WriteTogether(writes);
  // The revision's record: kept trying while the server cannot be reached,
  // and then what failed with it is sent again.
  if (!answers.front().ok() && answers.front().error().kind() == ErrorKind::kConnection) {
    const auto give_up = clock_.Monotonic() + kOutcomeRetryFor;
    std::chrono::milliseconds wait(250);
    while (!answers.front().ok() && answers.front().error().kind() == ErrorKind::kConnection &&
           clock_.Monotonic() + wait <= give_up) {
      clock_.SleepFor(wait);
      wait = std::min(wait * 2, std::chrono::milliseconds(4000));
      answers.front() = client_.MergePatch(writes.front().ref, writes.front().body, false);
    }
    if (answers.front().ok()) {
      for (size_t i = 1; i < writes.size(); ++i) {
        if (!answers[i].ok()) answers[i] = std::move(client_.WriteTogether({writes[i]}).front());
      }
    }
  }
  for (size_t i = 0; i < writes.size(); ++i) {
    if (answers[i].ok()) continue;
    // A revision or an index that is gone already is what a delete asked for.
    if (writes[i].verb == kube::PlannedWrite::Verb::kDelete && answers[i].error().kind() == ErrorKind::kNotFound) {
      continue;
    }
    return answers[i].error().WithContext(failing[i]);
  }
  return Ok();
}

kube::PlannedWrite WorkloadRevisions::IndexWrite(const std::vector<RevisionAudit>& history,
                                                 const std::optional<json>& owner) const {
  const kube::ResourceRef ref = kube::core::Secrets(ns_, RevisionIndexSecretName(workload_));
  json index = RevisionIndexSecret(workload_, ns_, history);
  // Too long a history for one Secret (--history-max 0 for years): readers list the revisions instead.
  if (GzipDataBytes(index, kRevisionIndexKey) > kMaxSecretDataBytes) return kube::PlannedWrite::Delete(ref, {});
  // Applied whole by its own manager: an owner left out of this apply is removed (delete --keep-history).
  if (owner) index["metadata"]["ownerReferences"] = *owner;
  kube::ApplyOptions apply;
  apply.field_manager = kRevisionIndexFieldManager;
  apply.force = true;
  return kube::PlannedWrite::Apply(ref, std::move(index), apply);
}

Status WorkloadRevisions::WriteIndex(const std::vector<RevisionAudit>& history, const std::optional<json>& owner) {
  const kube::PlannedWrite write = IndexWrite(history, owner);
  Result<json> written = std::move(client_.WriteTogether({write}).front());
  if (written.ok()) return Ok();
  if (write.verb == kube::PlannedWrite::Verb::kDelete) {
    if (written.error().kind() == ErrorKind::kNotFound) return Ok();
    return written.error().WithContext(fmt::format("removing the revision index of {}", workload_));
  }
  return written.error().WithContext(fmt::format("updating the revision index of {}", workload_));
}

Status WorkloadRevisions::Release() {
  LLM_ASSIGN_OR_RETURN(std::vector<RevisionAudit> history, List());
  // The index first, so the parent's deletion takes none of the history along.
  LLM_RETURN_IF_ERROR(WriteIndex(history, std::nullopt));
  for (const RevisionAudit& revision : history) {
    const json patch = {{"metadata", {{"ownerReferences", nullptr}}}};
    Result<json> patched = client_.MergePatch(kube::core::Secrets(ns_, revision.secret_name), patch, false);
    if (!patched.ok()) {
      return patched.error().WithContext(
          fmt::format("keeping revision {} of {} (releasing it from the ApplySet parent)", revision.number, workload_));
    }
  }
  return Ok();
}

}  // namespace llm

#include "commands/recorded_apply.h"

#include <fmt/format.h>

#include "commands/cluster_session.h"
#include "commands/root_command.h"
#include "commands/workload_revisions.h"
#include "commands/workload_wait.h"
#include "kube/self_subject_review.h"
#include "output/object_printer.h"
#include "util/duration.h"
#include "workload/change_cause.h"
#include "workload/revision_record.h"

namespace llm {
namespace {

using nlohmann::json;

/// -o prints the applied objects (not the pruned or kept ones) as one List;
/// without -o, one line per object and what happened to it.
Status PrintOutcome(const kube::ApplyOutcome& outcome, const OutputSpec& output, bool dry_run, IoStreams streams) {
  if (output.is_table()) {
    for (const kube::ObjectResult& result : outcome.results) streams.out << kube::FormatResult(result, dry_run) << "\n";
    return Ok();
  }
  std::vector<json> objects;
  for (const kube::ObjectResult& result : outcome.results) {
    if (result.action != kube::ApplyAction::kPruned && result.action != kube::ApplyAction::kKept) {
      objects.push_back(result.object);
    }
  }
  LLM_ASSIGN_OR_RETURN(std::string text, FormatObjectList(objects, output));
  streams.out << text;
  return Ok();
}

/// The objects were applied whatever -o made of them: a template that failed
/// on them (an index out of range) is the command's error once the revision
/// is recorded, unless the apply or the wait failed first.
Status ThenPrintError(Status outcome, const Status& printed) {
  if (!outcome.ok() || printed.ok()) return outcome;
  return printed.error().WithContext("the objects were applied, but -o could not print them");
}

/// --wait's outcome is recorded in a revision; a dry run records nothing.
bool MayReapply(bool dry_run, bool wait) { return !dry_run && !wait; }

/// The revision a failed one returns to: the newest deployed one before it.
std::optional<int> PreviousDeployed(const std::vector<RevisionAudit>& history, int failed) {
  std::optional<int> found;
  for (const RevisionAudit& r : history) {
    if (r.number < failed && r.status == RevisionStatus::kDeployed && (!found || r.number > *found)) found = r.number;
  }
  return found;
}

Status RollBackAfterFailure(ClusterSession& session, const kube::ConfigFlags& flags, const RecordedApply& request,
                            const RevisionAudit& failed, IoStreams streams, Terminal& progress) {
  WorkloadRevisions revisions(session.client(), session.clock(), session.ns(), request.name);
  LLM_ASSIGN_OR_RETURN(std::vector<RevisionAudit> history, revisions.List());
  std::optional<int> target = PreviousDeployed(history, failed.number);
  if (!target) {
    streams.err << fmt::format(
        "--rollback-on-failure: {} has no deployed revision before {}; nothing to roll back to\n", request.name,
        failed.number);
    return Ok();
  }
  LLM_ASSIGN_OR_RETURN(Revision previous, revisions.Read(*target));
  streams.err << fmt::format("Revision {} of {} failed; rolling back to revision {} (--rollback-on-failure)\n",
                             failed.number, request.name, *target);
  RecordedApply rollback = request;
  rollback.operation = "rollback";
  rollback.description = fmt::format("Rollback to {}", *target);
  rollback.objects = std::move(previous.objects);
  rollback.rollback_on_failure = false;
  std::optional<int> ignored;
  LLM_RETURN_IF_ERROR(ApplyRecorded(session, flags, rollback, streams, progress, ignored));
  streams.err << fmt::format("Rolled back {} to revision {}\n", request.name, *target);
  return Ok();
}

}  // namespace

Status ValidateRecordedApplyFlags(bool dry_run, bool wait, const std::string& timeout, int history_max) {
  if (wait && dry_run) {
    return Error(ErrorKind::kUsage, "--wait cannot be used with --dry-run: nothing would be created to wait for");
  }
  LLM_RETURN_IF_ERROR(ParseDuration(timeout, "--timeout"));
  if (history_max < 0) {
    return Error(ErrorKind::kUsage,
                 fmt::format("--history-max must be 0 (keep every revision) or more, got {}", history_max));
  }
  return Ok();
}

std::vector<kube::PlannedRead> ReapplyReads(ClusterSession& session, const std::string& name, bool dry_run, bool wait) {
  if (!MayReapply(dry_run, wait)) return {};
  return WorkloadRevisions(session.client(), session.clock(), session.ns(), name).ClaimReads();
}

Result<bool> ReapplyDeployedRevision(ClusterSession& session, const RecordedApply& request, IoStreams streams) {
  if (!MayReapply(request.dry_run, request.wait)) return false;
  WorkloadRevisions revisions(session.client(), session.clock(), session.ns(), request.name);
  // As long as a recorded apply's hold: the apply alone, without --wait.
  LLM_ASSIGN_OR_RETURN(std::optional<RevisionAudit> deployed,
                       revisions.ClaimDeployed(RenderedDigest(request.objects), std::chrono::minutes(2)));
  if (!deployed) return false;
  // The cause the live objects carry, so an unchanged object stays unchanged.
  std::vector<json> objects = WithChangeCause(request.objects, deployed->change_cause);
  Result<kube::ApplyOutcome> outcome =
      session.applier().Apply(std::move(objects), {request.name, session.ns()},
                              WorkloadApplyApplierOptions(session, request.ownership, /*dry_run=*/false));
  if (Status released = revisions.ReleaseDeployed(); !released.ok()) {
    streams.err << "Warning: " << released.error().message() << "\n";
  }
  const auto context = fmt::format("applying revision {} of {} again", deployed->number, request.name);
  if (!outcome.ok()) return outcome.error().WithContext(context);
  const Status printed = PrintOutcome(*outcome, request.output, /*dry_run=*/false, streams);
  if (!outcome->errors.empty()) {
    return outcome->errors.front().WithContext(fmt::format("{}: {} of {} objects failed to apply; nothing was pruned",
                                                           context, outcome->errors.size(), request.objects.size()));
  }
  LLM_RETURN_IF_ERROR(ThenPrintError(Ok(), printed));
  return true;
}

std::vector<kube::PlannedRead> ApplyRecordedReads(ClusterSession& session, const RecordedApply& request) {
  if (request.dry_run) return {};
  std::vector<kube::PlannedRead> reads{kube::WhoAmIRead()};
  for (kube::PlannedRead& read :
       WorkloadRevisions(session.client(), session.clock(), session.ns(), request.name).BeginReads()) {
    reads.push_back(std::move(read));
  }
  return reads;
}

Status ApplyRecorded(ClusterSession& session, const kube::ConfigFlags& flags, const RecordedApply& request,
                     IoStreams streams, Terminal& progress, std::optional<int>& error_exit_code) {
  std::vector<json> objects = request.objects;
  // The revision is recorded (pending) before anything is applied, so a
  // revision too large for the cluster is refused while nothing changed, and
  // an interrupted command leaves a trace the next one takes over.
  std::optional<RevisionAudit> revision;
  WorkloadRevisions revisions(session.client(), session.clock(), session.ns(), request.name);
  if (!request.dry_run) {
    LLM_ASSIGN_OR_RETURN(CallerIdentity caller, IdentifyCaller(session, flags, request.command_args, streams));
    Revision record = NewRevision(caller, request.operation, objects);
    // The hold outlives the command's own limit (--timeout) by a margin for the apply itself.
    const std::chrono::seconds lease =
        (request.wait ? request.timeout : std::chrono::seconds(0)) + std::chrono::minutes(2);
    LLM_ASSIGN_OR_RETURN(revision, revisions.Begin(std::move(record), lease, streams.err));
    objects = WithChangeCause(std::move(objects), revision->change_cause);
  }
  auto finish = [&](RevisionStatus status, std::string wait_outcome, std::string reason) -> Status {
    if (!revision) return Ok();
    revision->status = status;
    revision->wait_outcome = std::move(wait_outcome);
    revision->reason = std::move(reason);
    revision->description = !request.description.empty()
                                ? request.description
                                : fmt::format("{} {}", revision->number == 1 ? "Install" : "Upgrade",
                                              status == RevisionStatus::kDeployed ? "complete" : "failed");
    return revisions.Finish(*revision, request.history_max);
  };

  kube::ApplierOptions apply_options = WorkloadApplyApplierOptions(session, request.ownership, request.dry_run);
  // Begin's revision keeps other commands off the workload: its read of the parent still stands.
  if (revision) apply_options.parent_read = revisions.begun_parent();
  Result<kube::ApplyOutcome> applied = session.applier().Apply(objects, {request.name, session.ns()}, apply_options);
  if (!applied.ok()) {
    // Refused before any member (a parent other tooling manages, one that cannot be written): the revision
    // says so, rather than staying pending and holding off the rerun until its lease ends.
    Status recorded = finish(RevisionStatus::kFailed, "", applied.error().message());
    if (!recorded.ok()) streams.err << "Warning: " << recorded.error().message() << "\n";
    return applied.error();
  }
  kube::ApplyOutcome outcome = std::move(applied).value();
  revisions.ParentApplied(outcome.parent_uid);
  const Status printed = PrintOutcome(outcome, request.output, request.dry_run, streams);
  if (!outcome.errors.empty()) {
    Error failed = outcome.errors.front().WithContext(
        fmt::format("{} of {} objects failed to apply; nothing was pruned", outcome.errors.size(), objects.size()));
    Status recorded = finish(RevisionStatus::kFailed, "", failed.message());
    if (!recorded.ok()) streams.err << "Warning: " << recorded.error().message() << "\n";
    return failed;
  }
  if (!request.wait) return ThenPrintError(finish(RevisionStatus::kDeployed, "", ""), printed);

  WorkloadWaitRequest wait;
  for (const kube::ObjectResult& result : outcome.results) {
    if (result.action != kube::ApplyAction::kPruned && IsWorkloadKind(result.kind)) {
      wait.workload = result.ref;
      break;
    }
  }
  if (wait.workload.name.empty())
    return Error(ErrorKind::kInternal, "--wait: the rendered objects hold no workload to follow");
  wait.instance = request.name;
  wait.train = request.train;
  wait.timeout = request.timeout;
  WaitFailure failure = WaitFailure::kNone;
  Status waited = WaitForWorkload(session.client(), session.clock(), wait, progress, failure);
  if (failure == WaitFailure::kFailed) error_exit_code = kExitWorkloadFailed;
  if (failure == WaitFailure::kTimedOut) error_exit_code = kExitTimedOut;
  if (waited.ok()) return ThenPrintError(finish(RevisionStatus::kDeployed, "ready", ""), printed);
  Status recorded = finish(RevisionStatus::kFailed, failure == WaitFailure::kTimedOut ? "timed-out" : "failed",
                           waited.error().message());
  if (!recorded.ok()) streams.err << "Warning: " << recorded.error().message() << "\n";
  if (request.rollback_on_failure && revision && recorded.ok()) {
    Status rolled = RollBackAfterFailure(session, flags, request, *revision, streams, progress);
    if (!rolled.ok())
      return waited.error().WithContext(
          fmt::format("--rollback-on-failure could not roll back ({})", rolled.error().message()));
  }
  return waited;
}

}  // namespace llm

#include "commands/delete_command.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "commands/cluster_session.h"
#include "commands/command_flags.h"
#include "commands/root_command.h"
#include "commands/workload_revisions.h"
#include "kube/wait_condition.h"
#include "render/k8s_names.h"
#include "util/duration.h"

namespace llm {

std::string FormatDeleted(const kube::ObjectResult& result, kube::DryRun dry_run) {
  std::string kind = result.kind;
  std::transform(kind.begin(), kind.end(), kind.begin(), [](unsigned char c) { return std::tolower(c); });
  if (!result.ref.group.empty()) kind += "." + result.ref.group;
  if (result.action == kube::ApplyAction::kKept) {
    return fmt::format("{} \"{}\" kept: it holds data (delete it too with --delete-data, or: kubectl delete {} {}{})",
                       kind, result.ref.name, kind, result.ref.name,
                       result.ref.ns.empty() ? "" : " -n " + result.ref.ns);
  }
  return fmt::format("{} \"{}\" deleted{}", kind, result.ref.name, kube::DryRunSuffix(dry_run));
}

Status FinishDelete(const kube::ApplyOutcome& outcome, const std::string& set, bool wait, Seconds timeout,
                    ClusterSession& session, IoStreams streams, std::optional<int>& error_exit_code,
                    kube::DryRun dry_run) {
  for (const kube::ObjectResult& result : outcome.results) streams.out << FormatDeleted(result, dry_run) << "\n";
  if (!outcome.errors.empty()) {
    return outcome.errors.front().WithContext(
        fmt::format("{} objects could not be deleted; the ApplySet parent of {} was kept so a retry finds them",
                    outcome.errors.size(), set));
  }
  if (!wait || dry_run != kube::DryRun::kNone) return Ok();
  const auto deadline = session.clock().Monotonic() + timeout;
  for (const kube::ObjectResult& result : outcome.results) {
    if (result.action == kube::ApplyAction::kKept) continue;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - session.clock().Monotonic());
    if (left.count() < 0) left = std::chrono::milliseconds(0);
    std::string uid;
    if (result.object.contains("metadata")) uid = result.object["metadata"].value("uid", "");
    auto gone = session.waiter().WaitFor(result.ref, kube::IsDeleted(uid), left);
    if (!gone.ok()) {
      if (gone.error().kind() == ErrorKind::kTimeout) error_exit_code = kExitTimedOut;
      return gone.error();
    }
  }
  return Ok();
}

namespace {

constexpr kube::DryRun kDeleteDryRuns[] = {kube::DryRun::kClient, kube::DryRun::kServer};

/// --cascade: kubectl's words (true and false being its older spelling of
/// background and orphan) as the API's propagationPolicy.
Result<std::string> PropagationPolicy(const std::string& cascade) {
  if (cascade == "background" || cascade == "true") return std::string("Background");
  if (cascade == "foreground") return std::string("Foreground");
  if (cascade == "orphan" || cascade == "false") return std::string("Orphan");
  return Error(ErrorKind::kUsage,
               fmt::format("--cascade must be one of 'background', 'foreground' or 'orphan', got '{}'", cascade));
}

}  // namespace

Result<DeletePlan> ValidateDeleteOptions(const DeleteOptions& options) {
  if (!IsDns1123Label(options.name)) {
    return Error(ErrorKind::kUsage, fmt::format("NAME: '{}' must be a DNS-1123 label", options.name));
  }
  DeletePlan plan;
  LLM_ASSIGN_OR_RETURN(plan.timeout, ParseDuration(options.timeout, "--timeout"));
  LLM_ASSIGN_OR_RETURN(plan.dry_run, kube::ParseDryRun(options.dry_run, kDeleteDryRuns));
  if (plan.dry_run != kube::DryRun::kNone && options.keep_history) {
    return Error(ErrorKind::kUsage,
                 "--keep-history records the delete as a revision; it cannot be combined with --dry-run");
  }
  LLM_ASSIGN_OR_RETURN(plan.propagation_policy, PropagationPolicy(options.cascade));
  if (options.grace_period < -1) {
    return Error(
        ErrorKind::kUsage,
        fmt::format("--grace-period must be -1 (each pod's own) or a number of seconds, got {}", options.grace_period));
  }
  return plan;
}

Status RunDelete(const DeleteOptions& options, const kube::ConfigFlags& flags, IoStreams streams,
                 std::optional<int>& error_exit_code) {
  LLM_ASSIGN_OR_RETURN(const DeletePlan plan, ValidateDeleteOptions(options));
  const Seconds timeout = plan.timeout;
  const kube::DryRun dry_run = plan.dry_run;
  LLM_ASSIGN_OR_RETURN(std::unique_ptr<ClusterSession> session, ClusterSession::Open(flags, streams));
  kube::ApplierOptions applier_options =
      WorkloadApplierOptions(session->ns(), /*dry_run=*/dry_run == kube::DryRun::kServer);
  applier_options.dry_run_client = dry_run == kube::DryRun::kClient;
  applier_options.delete_data = options.delete_data;
  applier_options.propagation_policy = plan.propagation_policy;
  // kubectl's rule: 0 without --force means 1 (an immediate delete skips the kubelet's confirmation).
  if (options.grace_period >= 0) applier_options.grace_period_seconds = std::max<int64_t>(options.grace_period, 1);
  std::optional<RevisionAudit> recorded;
  WorkloadRevisions revisions(session->client(), session->clock(), session->ns(), options.name);
  if (options.keep_history) {
    LLM_ASSIGN_OR_RETURN(CallerIdentity caller, IdentifyCaller(*session, flags, options.command_args, streams));
    Revision record = NewRevision(caller, "delete", {});
    LLM_ASSIGN_OR_RETURN(recorded, revisions.Begin(std::move(record), std::chrono::minutes(2) + timeout, streams.err));
    LLM_RETURN_IF_ERROR(revisions.Release());
  }
  auto outcome = session->applier().Delete({options.name, session->ns()}, applier_options);
  if (!outcome.ok() && recorded) {
    recorded->status = RevisionStatus::kFailed;
    recorded->description = "Delete failed";
    recorded->reason = outcome.error().message();
    Status written = revisions.Finish(*recorded, 0, /*own=*/false);
    if (!written.ok()) streams.err << "Warning: " << written.error().message() << "\n";
  }
  if (!outcome.ok()) {
    if (outcome.error().kind() == ErrorKind::kNotFound) {
      if (options.ignore_not_found) return Ok();
      return Error(ErrorKind::kNotFound,
                   fmt::format("no workload \"{}\" in namespace \"{}\"", options.name, session->ns()));
    }
    return outcome.error();
  }
  Status finished = FinishDelete(*outcome, fmt::format("workload \"{}\"", options.name), options.wait, timeout,
                                 *session, streams, error_exit_code, dry_run);
  if (recorded) {
    recorded->status = finished.ok() ? RevisionStatus::kDeployed : RevisionStatus::kFailed;
    recorded->description = finished.ok() ? "Deleted (history kept)" : "Delete failed";
    if (!finished.ok()) recorded->reason = finished.error().message();
    // Unowned: the parent is gone, and the history must outlive it.
    Status written = revisions.Finish(*recorded, 0, /*own=*/false);
    if (finished.ok()) return written;
    if (!written.ok()) streams.err << "Warning: " << written.error().message() << "\n";
  }
  return finished;
}

void SetupDeleteCommand(CLI::App* cmd, CommandContext& ctx) {
  auto options = std::make_shared<DeleteOptions>();
  cmd->add_option("NAME", options->name, "The NAME given to serve or train")->required();
  cmd->add_flag("--wait", options->wait,
                "Wait until every object is gone, as kubectl delete does (default true; --wait=false returns at once)");
  cmd->add_option("--timeout", options->timeout, "How long --wait waits (e.g. 30s, 10m; default 10m)");
  cmd->add_flag("--ignore-not-found", options->ignore_not_found, "A workload that does not exist is not an error");
  AddDryRunFlag(cmd, options->dry_run, kDeleteDryRuns,
                "client lists what would be deleted, server has the API server check each delete; nothing is deleted");
  cmd->add_option("--cascade", options->cascade,
                  "How dependents (pods, ReplicaSets) go: background (default), foreground (each object waits for "
                  "them; with --wait, so does delete) or orphan (they stay)");
  cmd->add_option("--grace-period", options->grace_period,
                  "Seconds each pod gets to stop (-1, the default: its own terminationGracePeriodSeconds; 0 means 1)");
  cmd->add_flag("--delete-data", options->delete_data,
                "Also delete PersistentVolumeClaims the workload made (model cache, checkpoints): their data is lost");
  cmd->add_flag("--keep-history", options->keep_history,
                "Keep the workload's revisions (and record this delete), so `rollback NAME REVISION` can restore it");
  cmd->callback([options, &ctx] {
    options->command_args = ctx.global.args;
    ctx.Finish(RunDelete(*options, ctx.global.kube, ctx.streams, ctx.error_exit_code));
  });
}

}  // namespace llm

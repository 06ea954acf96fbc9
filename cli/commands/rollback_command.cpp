#include "commands/rollback_command.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "commands/cluster_session.h"
#include "commands/command_flags.h"
#include "commands/recorded_apply.h"
#include "commands/workload_revisions.h"
#include "output/object_printer.h"
#include "util/duration.h"

namespace llm {
namespace {

constexpr OutputFormat kRollbackOutputs[] = {OutputFormat::kTable, OutputFormat::kYaml, OutputFormat::kJson,
                                             OutputFormat::kName};
constexpr kube::DryRun kRollbackDryRuns[] = {kube::DryRun::kNone, kube::DryRun::kClient, kube::DryRun::kServer};

}  // namespace

Status ValidateRollbackOptions(const RollbackOptions& options) {
  if (options.name.empty())
    return Error(ErrorKind::kUsage, "rollback needs a NAME: kubectl llm rollback NAME [REVISION]");
  if (options.revision && *options.revision < 1) {
    return Error(ErrorKind::kUsage, fmt::format("REVISION must be 1 or more, got {}", *options.revision));
  }
  LLM_ASSIGN_OR_RETURN(kube::DryRun dry_run, kube::ParseDryRun(options.dry_run, kRollbackDryRuns));
  LLM_RETURN_IF_ERROR(ParseOutputFormat(options.output, kRollbackOutputs));
  LLM_RETURN_IF_ERROR(options.ownership.Validate());
  return ValidateRecordedApplyFlags(dry_run != kube::DryRun::kNone, options.wait, options.timeout, options.history_max);
}

std::optional<int> DefaultRollbackTarget(const std::vector<RevisionAudit>& history) {
  int current = 0;
  for (const RevisionAudit& r : history) {
    if (r.status == RevisionStatus::kDeployed) current = std::max(current, r.number);
  }
  std::optional<int> target;
  for (const RevisionAudit& r : history) {
    if (r.number < current && r.status == RevisionStatus::kSuperseded && (!target || r.number > *target)) {
      target = r.number;
    }
  }
  return target;
}

Status RunRollback(const RollbackOptions& options, const kube::ConfigFlags& flags, IoStreams streams,
                   Terminal& progress, std::optional<int>& error_exit_code) {
  LLM_RETURN_IF_ERROR(ValidateRollbackOptions(options));
  LLM_ASSIGN_OR_RETURN(OutputSpec output, ParseOutputFormat(options.output, kRollbackOutputs));
  LLM_ASSIGN_OR_RETURN(kube::DryRun dry_run, kube::ParseDryRun(options.dry_run, kRollbackDryRuns));
  LLM_ASSIGN_OR_RETURN(std::unique_ptr<ClusterSession> session, ClusterSession::Open(flags, streams));
  WorkloadRevisions revisions(session->client(), session->clock(), session->ns(), options.name);
  int target = 0;
  if (options.revision) {
    target = *options.revision;
  } else {
    LLM_ASSIGN_OR_RETURN(std::vector<RevisionAudit> history, revisions.List());
    if (history.empty()) {
      return Error(ErrorKind::kNotFound, fmt::format("{} has no history in namespace {}: nothing to roll back to",
                                                     options.name, session->ns()));
    }
    std::optional<int> previous = DefaultRollbackTarget(history);
    if (!previous) {
      return Error(ErrorKind::kInvalidInput,
                   fmt::format("{} has no deployed revision before the current one; name one: kubectl llm rollback "
                               "{} REVISION (see kubectl llm history {})",
                               options.name, options.name, options.name));
    }
    target = *previous;
  }
  LLM_ASSIGN_OR_RETURN(Revision revision, revisions.Read(target));
  if (revision.audit.status == RevisionStatus::kPending) {
    return Error(ErrorKind::kInvalidInput,
                 fmt::format("revision {} of {} is pending: it never finished, so there is nothing known-good to "
                             "return to",
                             target, options.name));
  }
  if (revision.objects.empty()) {
    // Applying no objects would prune the whole workload.
    return Error(ErrorKind::kInvalidInput,
                 fmt::format("revision {} of {} ({}) recorded no objects to return to; name a revision that applied "
                             "some (see kubectl llm history {})",
                             target, options.name, revision.audit.operation, options.name));
  }
  if (dry_run == kube::DryRun::kClient) {
    if (!output.is_table()) {
      LLM_ASSIGN_OR_RETURN(std::string text, FormatObjectList(revision.objects, output));
      streams.out << text;
      return Ok();
    }
    for (const nlohmann::json& object : revision.objects)
      streams.out << ResourceName(object) << " configured (dry run)\n";
    return Ok();
  }
  RecordedApply apply;
  apply.name = options.name;
  apply.operation = "rollback";
  apply.description = fmt::format("Rollback to {}", target);
  apply.objects = std::move(revision.objects);
  apply.dry_run = dry_run == kube::DryRun::kServer;
  apply.wait = options.wait;
  LLM_ASSIGN_OR_RETURN(apply.timeout, ParseDuration(options.timeout, "--timeout"));
  apply.train = revision.audit.operation == "train";
  apply.history_max = options.history_max;
  apply.ownership = options.ownership;
  apply.output = output;
  apply.command_args = options.command_args;
  LLM_RETURN_IF_ERROR(ApplyRecorded(*session, flags, apply, streams, progress, error_exit_code));
  if (!apply.dry_run && output.format == OutputFormat::kTable) {
    streams.out << fmt::format("Rollback was a success: {} is at revision {}'s objects.\n", options.name, target);
  }
  return Ok();
}

void SetupRollbackCommand(CLI::App* cmd, CommandContext& ctx) {
  auto options = std::make_shared<RollbackOptions>();
  cmd->add_option("NAME", options->name, "The workload's name (as given to serve or train)");
  cmd->add_option("REVISION", options->revision,
                  "The revision to return to (default: the deployed one before the current one)");
  AddOutputFlag(cmd, options->output, kRollbackOutputs, "one line per object applied");
  AddDryRunFlag(cmd, options->dry_run, kRollbackDryRuns,
                "client prints the revision's objects; server has the server check the rollback");
  cmd->add_flag("--wait", options->wait, "Follow the workload until it is ready (train: every pod running)");
  cmd->add_option("--timeout", options->timeout, "How long --wait waits (e.g. 30s, 10m)");
  cmd->add_option("--history-max", options->history_max,
                  "Revisions of this workload to keep (0 keeps every one); older ones are deleted after an apply")
      ->default_str(std::to_string(options->history_max));
  options->ownership.AddTo(*cmd);
  cmd->callback([options, &ctx] {
    options->command_args = ctx.global.args;
    const char* term = std::getenv("TERM");
    const bool to_err = !options->output.empty();
    StreamTerminal progress(to_err ? ctx.streams.err : ctx.streams.out,
                            IsTerminalFd(to_err ? STDERR_FILENO : STDOUT_FILENO, term ? term : ""));
    ctx.Finish(RunRollback(*options, ctx.global.kube, ctx.streams, progress, ctx.error_exit_code));
  });
}

}  // namespace llm

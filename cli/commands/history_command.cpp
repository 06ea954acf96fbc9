#include "commands/history_command.h"

#include <fmt/format.h>

#include "commands/cluster_session.h"
#include "commands/command_flags.h"
#include "commands/managed_workloads.h"
#include "commands/workload_revisions.h"
#include "output/object_printer.h"
#include "output/output_format.h"
#include "workload/revision_history.h"

namespace llm {
namespace {

constexpr OutputFormat kHistoryOutputs[] = {OutputFormat::kTable, OutputFormat::kWide, OutputFormat::kJson,
                                            OutputFormat::kYaml};

}  // namespace

Status ValidateHistoryOptions(const HistoryOptions& options) {
  if (options.name.empty()) return Error(ErrorKind::kUsage, "history needs a NAME: kubectl llm history NAME");
  if (options.max < 0) {
    return Error(ErrorKind::kUsage, fmt::format("--max must be 0 (every revision) or more, got {}", options.max));
  }
  LLM_RETURN_IF_ERROR(ParseOutputFormat(options.output, kHistoryOutputs));
  return Ok();
}

Status RunHistory(const HistoryOptions& options, kube::RestClient& client, kube::RestMapper& mapper, Clock& clock,
                  const std::string& ns, IoStreams streams) {
  LLM_RETURN_IF_ERROR(ValidateHistoryOptions(options));
  LLM_ASSIGN_OR_RETURN(OutputSpec output, ParseOutputFormat(options.output, kHistoryOutputs));
  WorkloadRevisions revisions(client, clock, ns, options.name);
  LLM_ASSIGN_OR_RETURN(std::vector<RevisionAudit> listed, revisions.List());
  if (listed.empty()) {
    return Error(ErrorKind::kNotFound,
                 fmt::format("{} has no history in namespace {}: serve and train record one revision per change",
                             options.name, ns));
  }
  const std::vector<RevisionAudit> shown = SortedHistory(std::move(listed), options.max);
  if (!output.is_table()) {
    LLM_ASSIGN_OR_RETURN(std::string text, FormatDocument(RevisionListJson(options.name, ns, shown), output));
    streams.out << text;
    return Ok();
  }
  streams.out << RevisionHistoryTable(shown).Render(output.format == OutputFormat::kWide);
  if (output.format != OutputFormat::kWide) return Ok();
  Result<ManagedWorkload> live = FindManagedWorkload(client, mapper, ns, options.name);
  if (!live.ok()) {
    // History outlives the objects (delete --keep-history); say so instead of failing.
    streams.out << fmt::format("\nNo live workload {} in namespace {}: {}\n", options.name, ns, live.error().message());
    return Ok();
  }
  streams.out << fmt::format("\nField managers of {} (managedFields, as the API server recorded them):\n",
                             ResourceName(live->object))
              << FieldManagersTable(live->object, shown, options.field_manager).Render(false);
  return Ok();
}

void SetupHistoryCommand(CLI::App* cmd, CommandContext& ctx) {
  auto options = std::make_shared<HistoryOptions>();
  cmd->add_option("NAME", options->name, "The workload's name (as given to serve or train)");
  AddOutputFlag(cmd, options->output, kHistoryOutputs, "a table; wide adds audit columns and field managers");
  cmd->add_option("--max", options->max, "Show at most this many revisions, the newest (0: every one)")
      ->default_str(std::to_string(options->max));
  cmd->add_option("--field-manager", options->field_manager,
                  "The field manager serve used (-o wide calls other managers' later changes drift)")
      ->default_str(options->field_manager);
  cmd->callback([options, &ctx] {
    if (Status valid = ValidateHistoryOptions(*options); !valid.ok()) return ctx.Finish(valid);
    auto session = ClusterSession::Open(ctx.global.kube, ctx.streams);
    if (!session.ok()) return ctx.Finish(session.error());
    ctx.Finish(RunHistory(*options, (*session)->client(), (*session)->mapper(), (*session)->clock(), (*session)->ns(),
                          ctx.streams));
  });
}

}  // namespace llm

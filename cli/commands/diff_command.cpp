#include "commands/diff_command.h"

#include <memory>

#include "commands/cluster_session.h"
#include "commands/root_command.h"
#include "commands/workload_revisions.h"
#include "workload/change_cause.h"
#include "workload/object_diff.h"

namespace llm {

using nlohmann::json;

Status RunDiff(const DiffOptions& options, const kube::ConfigFlags& flags, IoStreams streams, bool& differences) {
  differences = false;
  LLM_RETURN_IF_ERROR(ValidateRenderOptions(options.render));
  LLM_RETURN_IF_ERROR(options.ownership.Validate());
  LLM_ASSIGN_OR_RETURN(std::unique_ptr<ClusterSession> session, ClusterSession::Open(flags, streams));
  RenderOptions render = options.render;
  if (session->namespace_explicit()) render.request.namespace_ = session->ns();
  LLM_ASSIGN_OR_RETURN(render.request.served, session->Served());
  AddTenantDefaults(session->client(), session->ns(), render.request);
  std::unique_ptr<TemplateSource> templates =
      render.templates_dir ? DirectoryTemplateSource(*render.templates_dir) : EmbeddedTemplateSource();
  LLM_ASSIGN_OR_RETURN(std::vector<Json> manifests, RenderManifests(render.request, *templates, ReadLocalFile));
  std::vector<json> objects;
  for (const Json& manifest : manifests) objects.push_back(json(manifest));
  // serve records its command line as kubernetes.io/change-cause; the diff
  // carries the one the newest revision set, so the audit annotation alone is
  // never shown as a difference.
  WorkloadRevisions revisions(session->client(), session->clock(), session->ns(), render.request.name);
  LLM_ASSIGN_OR_RETURN(std::vector<RevisionAudit> history, revisions.List());
  const RevisionAudit* newest = nullptr;
  for (const RevisionAudit& r : history) {
    if (r.status != RevisionStatus::kPending && r.operation != "delete" && (!newest || r.number > newest->number)) {
      newest = &r;
    }
  }
  if (newest) {
    objects =
        WithChangeCause(std::move(objects), newest->change_cause.empty() ? newest->command_line : newest->change_cause);
  }

  LLM_ASSIGN_OR_RETURN(kube::ApplyOutcome outcome,
                       session->applier().Apply(objects, {render.request.name, session->ns()},
                                                WorkloadApplyApplierOptions(*session, options.ownership,
                                                                            /*dry_run=*/true)));
  if (!outcome.errors.empty()) return outcome.errors.front();
  for (const kube::ObjectResult& result : outcome.results) {
    json live;
    json merged;
    if (result.action == kube::ApplyAction::kPruned) {
      live = result.object;
    } else {
      auto got = session->client().Get(result.ref);
      if (got.ok()) {
        live = *got;
      } else if (got.error().kind() != ErrorKind::kNotFound) {
        return got.error();
      }
      merged = result.object;
    }
    std::string text = DiffObject(live, merged, options.show_managed_fields);
    if (text.empty()) continue;
    differences = true;
    streams.out << text;
  }
  return Ok();
}

void SetupDiffCommand(CLI::App* diff, CommandContext& ctx) {
  diff->require_subcommand(1);
  for (const char* name : {"serve", "train"}) {
    auto options = std::make_shared<DiffOptions>();
    CLI::App* cmd =
        diff->add_subcommand(name, std::string("Diff `") + name + " NAME [flags]` against the live objects");
    AddApplyWorkloadFlags(*cmd, *FindWorkload(name), options->render, ctx.global.kube);
    cmd->add_flag("--show-managed-fields", options->show_managed_fields, "Keep metadata.managedFields in the diff");
    options->ownership.AddTo(*cmd);
    cmd->callback([options, cmd, &ctx] {
      ctx.error_exit_code = kExitDiffError;
      Status flags = FinishWorkloadFlags(*cmd, options->render);
      if (!flags.ok()) return ctx.Finish(flags);
      bool differences = false;
      Status status = RunDiff(*options, ctx.global.kube, ctx.streams, differences);
      if (status.ok() && differences) ctx.exit_code = kExitDiffFound;
      ctx.Finish(std::move(status));
    });
  }
}

}  // namespace llm

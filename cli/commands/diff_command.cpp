#include "commands/diff_command.h"

#include <memory>

#include <CLI/CLI.hpp>

#include "commands/cluster_session.h"
#include "commands/diff_program.h"
#include "commands/live_dry_run.h"
#include "commands/revision_diff_command.h"
#include "commands/root_command.h"

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
  std::vector<std::string> notes, warnings;
  LLM_RETURN_IF_ERROR(PlaceRenderedPodMonitor(*session, render, manifests, notes, warnings));
  LLM_RETURN_IF_ERROR(PlaceScaledObjectPrometheus(*session, render, manifests, notes, warnings));
  // An elastic job keeps the size it runs, as train does when applied again.
  if (auto kept = KeepLiveElasticSize(*session, render, manifests, notes); !kept.ok()) return kept.error();
  for (const std::string& warning : warnings) streams.err << "Warning: " << warning << "\n";
  std::vector<json> objects;
  for (const Json& manifest : manifests) objects.push_back(json(manifest));
  LLM_ASSIGN_OR_RETURN(std::vector<LiveAndMerged> live_and_merged,
                       DryRunAgainstLive(*session, render.request.name, std::move(objects), options.ownership));
  std::vector<std::pair<json, json>> pairs;
  for (LiveAndMerged& pair : live_and_merged) pairs.emplace_back(std::move(pair.live), std::move(pair.merged));
  LLM_ASSIGN_OR_RETURN(differences, ShowObjectDiffs(pairs, "LIVE", "MERGED", options.show_managed_fields, streams.out));
  return Ok();
}

void SetupDiffCommand(CLI::App* diff, CommandContext& ctx) {
  // `diff serve|train NAME [flags]`, or `diff NAME --revision A[..B]` (for a
  // workload named serve or train: `diff --revision A -- serve`).
  diff->require_subcommand(0, 1);
  auto revision = std::make_shared<RevisionDiffOptions>();
  diff->add_option("NAME", revision->name, "The workload whose revisions to compare (with --revision)");
  diff->add_option("--revision", revision->revision,
                   "A: revision A against the live objects; A..B: revision A against revision B");
  diff->add_flag("--show-managed-fields", revision->show_managed_fields, "Keep metadata.managedFields in the diff");
  revision->ownership.AddTo(*diff);
  diff->callback([revision, diff, &ctx] {
    if (!diff->get_subcommands().empty()) return;  // serve or train ran
    ctx.error_exit_code = kExitDiffError;
    bool differences = false;
    Status status = RunRevisionDiff(*revision, ctx.global.kube, ctx.streams, differences);
    if (status.ok() && differences) ctx.exit_code = kExitDiffFound;
    ctx.Finish(std::move(status));
  });
  for (const char* name : {"serve", "train"}) {
    auto options = std::make_shared<DiffOptions>();
    CLI::App* cmd =
        diff->add_subcommand(name, std::string("Diff `") + name + " NAME [flags]` against the live objects");
    AddApplyWorkloadFlags(*cmd, *FindWorkload(name), options->render, ctx.global);
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

#include "commands/workload_apply_command.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "commands/cluster_session.h"
#include "commands/command_flags.h"
#include "commands/pod_monitor_placement.h"
#include "commands/preflight.h"
#include "commands/recorded_apply.h"
#include "commands/root_command.h"
#include "commands/tenant_cluster.h"
#include "kube/object_fields.h"
#include "output/object_printer.h"
#include "render/k8s_names.h"
#include "render/manifest_printer.h"
#include "render/serve_config.h"
#include "util/duration.h"
#include "util/yaml_document.h"
#include "workload/elastic_training.h"
#include "workload/require_validated.h"

namespace llm {
namespace {

using nlohmann::json;

constexpr OutputFormat kApplyOutputs[] = {OutputFormat::kTable, OutputFormat::kYaml, OutputFormat::kJson,
                                          OutputFormat::kName};
constexpr kube::DryRun kApplyDryRuns[] = {kube::DryRun::kNone, kube::DryRun::kClient, kube::DryRun::kServer};

Result<std::vector<Json>> Render(const RenderOptions& options, std::set<std::string>* used_context_defaults = nullptr,
                                 std::vector<std::string>* notes = nullptr) {
  std::unique_ptr<TemplateSource> templates =
      options.templates_dir ? DirectoryTemplateSource(*options.templates_dir) : EmbeddedTemplateSource();
  return RenderManifests(options.request, *templates, ReadLocalFile, used_context_defaults, notes);
}

}  // namespace

Status PlaceRenderedPodMonitor(ClusterSession& session, RenderOptions& render, std::vector<Json>& manifests,
                               std::vector<std::string>& notes, std::vector<std::string>& warnings) {
  auto monitor = std::find_if(manifests.begin(), manifests.end(),
                              [](const Json& m) { return m.value("kind", "") == "PodMonitor"; });
  if (monitor == manifests.end()) return Ok();
  const json rendered(*monitor);
  PodMonitorPlacement placement =
      PlacePodMonitor(session.client(), session.mapper(), session.ns(), NameOf(rendered), LabelsOf(rendered));
  if (!placement.note.empty()) notes.push_back(placement.note);
  warnings.insert(warnings.end(), placement.warnings.begin(), placement.warnings.end());
  if (placement.labels.empty()) return Ok();
  render.request.pod_monitor_labels = std::move(placement.labels);
  LLM_ASSIGN_OR_RETURN(manifests, Render(render));
  return Ok();
}

Status PlaceScaledObjectPrometheus(ClusterSession& session, RenderOptions& render, std::vector<Json>& manifests,
                                   std::vector<std::string>& notes, std::vector<std::string>& warnings) {
  auto scaled_object = std::find_if(manifests.begin(), manifests.end(),
                                    [](const Json& m) { return m.value("kind", "") == "ScaledObject"; });
  if (scaled_object == manifests.end()) return Ok();
  const json rendered(*scaled_object);
  const std::string name = NameOf(rendered);
  // The built-in address first, offered as a default: when the user gave their own (--prometheus-url, --set),
  // the default goes unused and the cluster need not be asked.
  render.request.context_defaults["prometheusUrl"] = {std::string(kDefaultPrometheusUrl),
                                                      "the built-in Prometheus address"};
  std::set<std::string> used;
  LLM_ASSIGN_OR_RETURN(manifests, Render(render, &used));
  if (used.count("prometheusUrl") == 0) return Ok();
  const ScaledObjectPrometheus found =
      FindScaledObjectPrometheus(session.client(), session.mapper(), session.ns(), name, LabelsOf(rendered));
  if (found.url.empty()) {
    warnings.push_back(fmt::format(
        "ScaledObject {} asks {} (kube-prometheus-stack's usual address) because {}: give --prometheus-url if your "
        "Prometheus is elsewhere",
        name, kDefaultPrometheusUrl, found.reason));
    return Ok();
  }
  render.request.context_defaults["prometheusUrl"] = {found.url, fmt::format("Prometheus {}'s address", found.id)};
  LLM_ASSIGN_OR_RETURN(manifests, Render(render));
  notes.push_back(fmt::format("ScaledObject {} asks Prometheus {} at {} (--prometheus-url chooses another)", name,
                              found.id, found.url));
  return Ok();
}

/// The elastic training job among `objects` (train --nodes MIN:MAX), if any.
std::optional<ElasticJob> RenderedElasticJob(const std::vector<json>& objects) {
  for (const json& object : objects) {
    if (std::optional<ElasticJob> job = ReadElasticJob(object)) return job;
  }
  return std::nullopt;
}

Result<bool> KeepLiveElasticSize(ClusterSession& session, RenderOptions& render, std::vector<Json>& manifests,
                                 std::vector<std::string>& notes) {
  for (const Json& manifest : manifests) {
    const json rendered(manifest);
    std::optional<ElasticJob> wanted = ReadElasticJob(rendered);
    if (!wanted) continue;
    LLM_ASSIGN_OR_RETURN(kube::RestMapping mapping,
                         session.mapper().Map(StringAt(rendered, {"apiVersion"}), wanted->kind));
    kube::ResourceRef ref = mapping.resource;
    ref.ns = StringAt(rendered, {"metadata", "namespace"}, session.ns());
    ref.name = NameOf(rendered);
    auto live = session.client().Get(ref);
    if (!live.ok()) {
      if (live.error().kind() == ErrorKind::kNotFound) return false;
      return live.error().WithContext("reading the elastic job's size");
    }
    std::optional<ElasticJob> running = ReadElasticJob(*live);
    if (!running || running->finished) return false;
    const int64_t keep = std::clamp(running->nodes, wanted->bounds.min, wanted->bounds.max);
    if (keep != running->nodes) {
      notes.push_back(fmt::format("{} runs {} nodes, outside --nodes {}: it will run {}", ResourceName(*live),
                                  running->nodes, FormatNodeRange(wanted->bounds), keep));
    }
    if (keep != wanted->nodes) {
      render.request.start_nodes = static_cast<int>(keep);
      LLM_ASSIGN_OR_RETURN(manifests, Render(render));
    }
    return true;
  }
  return false;
}

/// --dry-run=client: what render prints for -o yaml|json, without a cluster.
Status RunClientDryRun(const WorkloadApplyOptions& options, const OutputSpec& output, const kube::ConfigFlags& flags,
                       IoStreams streams) {
  RenderOptions render = options.render;
  // Only -n reaches the manifests (as with render); no kubeconfig is needed.
  LLM_RETURN_IF_ERROR(CheckNamespaceFlag(flags.ns));
  if (!flags.ns.empty()) render.request.namespace_ = flags.ns;
  LLM_ASSIGN_OR_RETURN(std::vector<Json> manifests, Render(render));
  if (!output.is_table()) {
    LLM_ASSIGN_OR_RETURN(std::string text, FormatManifests(manifests, output));
    streams.out << text;
    return Ok();
  }
  for (const Json& manifest : manifests) {
    streams.out << ResourceName(json(manifest)) << " created (dry run)\n";
  }
  return Ok();
}

void AddTenantDefaults(kube::RestClient& client, const std::string& ns, RenderRequest& request) {
  const TenantDefaults tenant = ReadTenantDefaults(client, ns);
  const std::string origin = "tenant " + tenant.team;
  if (!tenant.local_queue.empty()) request.context_defaults["queue"] = {tenant.local_queue, origin};
  if (!tenant.priority_class.empty()) request.context_defaults["priorityClass"] = {tenant.priority_class, origin};
}

std::string TenantDefaultsNote(const RenderRequest& request, const std::set<std::string>& used) {
  std::vector<std::string> parts;
  std::string origin;
  if (auto it = request.context_defaults.find("queue"); it != request.context_defaults.end() && used.count("queue")) {
    parts.push_back(fmt::format("Kueue LocalQueue \"{}\" (--queue overrides)", it->second.value));
    origin = it->second.origin;
  }
  if (auto it = request.context_defaults.find("priorityClass");
      it != request.context_defaults.end() && used.count("priorityClass")) {
    parts.push_back(fmt::format("PriorityClass \"{}\" (--priority-class overrides)", it->second.value));
    origin = it->second.origin;
  }
  if (parts.empty()) return "";
  std::string line = "Using " + origin + "'s ";
  for (size_t i = 0; i < parts.size(); ++i) line += (i ? " and " : "") + parts[i];
  return line + "\n";
}

void FieldOwnershipFlags::AddTo(CLI::App& cmd) {
  cmd.add_option("--field-manager", field_manager, "Name of the manager used to track field ownership")
      ->default_str(field_manager);
  cmd.add_flag("--force-conflicts", force_conflicts,
               "Take ownership of fields another manager owns, as kubectl apply --server-side --force-conflicts");
}

Status FieldOwnershipFlags::Validate() const {
  // The API server's limit (managedFields manager names).
  if (field_manager.empty() || field_manager.size() > 128) {
    return Error(ErrorKind::kUsage,
                 fmt::format("--field-manager must be 1 to 128 characters, got {}", field_manager.size()));
  }
  return Ok();
}

kube::ApplierOptions WorkloadApplyApplierOptions(const ClusterSession& session, const FieldOwnershipFlags& ownership,
                                                 bool dry_run) {
  kube::ApplierOptions options = WorkloadApplierOptions(session.ns(), dry_run);
  options.enforce_namespace = session.namespace_explicit();
  options.field_manager = ownership.field_manager;
  options.force_conflicts = ownership.force_conflicts;
  // An elastic job's size, which `scale --nodes` sets: train renders the live
  // size again (KeepLiveElasticSize), so only a rollback or new bounds take it.
  options.force_fields.insert(".spec.parallelism");
  options.force_fields.insert(".spec.completions");
  return options;
}

void AddApplyWorkloadFlags(CLI::App& cmd, const WorkloadSpec& workload, RenderOptions& options, GlobalOptions& global) {
  AddWorkloadFlags(cmd, workload, options, global);
  if (workload.takes_trailing_command) {
    // The trailing command keeps its words here (no fallthrough to the root), so
    // kubectl's connection flags are registered here too, bound to the same
    // values, so they may come after NAME as well.
    global.AddConnectionFlags(cmd);
  }
  cmd.add_option("--backend", options.request.backend,
                 workload.name == "serve"
                     ? "deployment or leaderworkerset (default: by --nodes and what the cluster serves)"
                     : "jobset or indexed-job (default: jobset when the cluster serves it)");
}

Status ValidateWorkloadApplyOptions(const WorkloadApplyOptions& options) {
  LLM_RETURN_IF_ERROR(ValidateRenderOptions(options.render));
  LLM_ASSIGN_OR_RETURN(kube::DryRun dry_run, kube::ParseDryRun(options.dry_run, kApplyDryRuns));
  LLM_RETURN_IF_ERROR(ParseOutputFormat(options.output, kApplyOutputs));
  LLM_RETURN_IF_ERROR(options.ownership.Validate());
  LLM_RETURN_IF_ERROR(
      ValidateRecordedApplyFlags(dry_run != kube::DryRun::kNone, options.wait, options.timeout, options.history_max));
  if (options.rollback_on_failure && !options.wait) {
    return Error(ErrorKind::kUsage, "--rollback-on-failure needs --wait: only a failed wait triggers the rollback");
  }
  return Ok();
}

Status RunWorkloadApply(const WorkloadApplyOptions& options, const kube::ConfigFlags& flags, IoStreams streams,
                        Terminal& progress, std::optional<int>& error_exit_code) {
  LLM_RETURN_IF_ERROR(ValidateWorkloadApplyOptions(options));
  LLM_ASSIGN_OR_RETURN(OutputSpec output, ParseOutputFormat(options.output, kApplyOutputs));
  LLM_ASSIGN_OR_RETURN(kube::DryRun dry_run_strategy, kube::ParseDryRun(options.dry_run, kApplyDryRuns));
  if (dry_run_strategy == kube::DryRun::kClient) return RunClientDryRun(options, output, flags, streams);
  const bool dry_run = dry_run_strategy == kube::DryRun::kServer;

  LLM_ASSIGN_OR_RETURN(std::unique_ptr<ClusterSession> session, ClusterSession::Open(flags, streams));
  RenderOptions render = options.render;
  if (session->namespace_explicit()) render.request.namespace_ = session->ns();
  LLM_ASSIGN_OR_RETURN(render.request.served, session->Served());
  // The first round trip: the namespace (a tenant's defaults, which the render
  // needs) and what tells a re-apply of the deployed revision from the rest.
  std::vector<kube::PlannedRead> first_reads = TenantDefaultsReads(session->ns());
  for (kube::PlannedRead& read : ReapplyReads(*session, render.request.name, dry_run, options.wait)) {
    first_reads.push_back(std::move(read));
  }
  session->client().Prefetch(first_reads);
  AddTenantDefaults(session->client(), session->ns(), render.request);
  std::set<std::string> used_defaults;
  std::vector<std::string> notes, render_warnings;
  LLM_ASSIGN_OR_RETURN(std::vector<Json> manifests, Render(render, &used_defaults, &notes));
  LLM_RETURN_IF_ERROR(PlaceRenderedPodMonitor(*session, render, manifests, notes, render_warnings));
  LLM_RETURN_IF_ERROR(PlaceScaledObjectPrometheus(*session, render, manifests, notes, render_warnings));
  LLM_ASSIGN_OR_RETURN(const bool kept_elastic_size, KeepLiveElasticSize(*session, render, manifests, notes));
  std::vector<json> objects = ToApiObjects(manifests);
  const std::optional<ElasticJob> elastic = RenderedElasticJob(objects);
  const std::string& name = render.request.name;
  // Said before anything else, on stdout with the apply lines (stderr when
  // stdout carries objects).
  (options.output.empty() ? streams.out : streams.err) << TenantDefaultsNote(render.request, used_defaults);
  for (const std::string& note : notes) streams.err << "Note: " << note << "\n";
  for (const std::string& warning : render_warnings) streams.err << "Warning: " << warning << "\n";

  RecordedApply apply;
  apply.name = name;
  apply.operation = render.request.workload;
  apply.dry_run = dry_run;
  apply.wait = options.wait;
  LLM_ASSIGN_OR_RETURN(apply.timeout, ParseDuration(options.timeout, "--timeout"));
  apply.train = render.request.workload == "train";
  apply.history_max = options.history_max;
  apply.ownership = options.ownership;
  apply.output = output;
  apply.command_args = options.command_args;
  apply.rollback_on_failure = options.rollback_on_failure;
  auto preflight_request = [&]() -> Result<PreflightRequest> {
    PreflightRequest preflight;
    preflight.objects = objects;
    preflight.ns = session->ns();
    preflight.instance = name;
    if (options.render.require_validated) {
      LLM_ASSIGN_OR_RETURN(preflight.require_validated, ParseRequireValidated(*options.render.require_validated));
    }
    if (elastic) preflight.elastic = elastic->bounds;
    return preflight;
  };
  auto preflight_check = [&]() -> Status {
    LLM_ASSIGN_OR_RETURN(PreflightRequest preflight, preflight_request());
    std::optional<ElasticStart> start;
    LLM_ASSIGN_OR_RETURN(std::vector<std::string> warnings,
                         RunPreflight(session->client(), session->mapper(), preflight, &start));
    for (const std::string& warning : warnings) streams.err << "Warning: " << warning << "\n";
    if (elastic && start && !kept_elastic_size && start->nodes != elastic->nodes) {
      // Fewer than MAX fit now: start with what fits (not below MIN), rendered again.
      render.request.start_nodes = static_cast<int>(start->nodes);
      LLM_ASSIGN_OR_RETURN(manifests, Render(render));
      objects = ToApiObjects(manifests);
      streams.err << fmt::format(
          "Note: starting {} at {} of --nodes {}: the free GPUs hold {} of its pods now; kubectl llm scale {} "
          "--nodes K adds nodes when more are free\n",
          name, start->nodes, FormatNodeRange(elastic->bounds), start->fit_now, name);
    }
    return Ok();
  };
  // Applying the deployed revision again asks for no new GPUs: the fit has nothing to say about it. What
  // --require-validated checks (the nodes' verdicts, which age) still may, so it goes first then; and an
  // elastic job's start size is the preflight's to choose (unless a live job keeps its own).
  const bool preflight_first = !options.skip_preflight && options.render.require_validated.has_value();
  if (preflight_first) LLM_RETURN_IF_ERROR(preflight_check());
  if (!elastic || kept_elastic_size) {
    apply.objects = objects;
    LLM_ASSIGN_OR_RETURN(const bool reapplied, ReapplyDeployedRevision(*session, apply, streams));
    if (reapplied) return Ok();
  }
  // A change or a create: what the preflight and the revision's record read
  // first does not depend on each other, so it is asked for together (one
  // round trip for up to five requests, over HTTP/2).
  const bool preflight_now = !options.skip_preflight && !preflight_first;
  std::vector<kube::PlannedRead> reads;
  if (preflight_now) {
    LLM_ASSIGN_OR_RETURN(PreflightRequest preflight, preflight_request());
    reads = PreflightReads(preflight);
  }
  for (kube::PlannedRead& read : ApplyRecordedReads(*session, apply)) reads.push_back(std::move(read));
  session->client().Prefetch(reads);
  if (preflight_now) LLM_RETURN_IF_ERROR(preflight_check());

  apply.objects = std::move(objects);
  return ApplyRecorded(*session, flags, apply, streams, progress, error_exit_code);
}

namespace {

void SetupApplyCommand(CLI::App* cmd, CommandContext& ctx, std::string_view workload_name) {
  const WorkloadSpec* workload = FindWorkload(workload_name);
  auto options = std::make_shared<WorkloadApplyOptions>();
  AddApplyWorkloadFlags(*cmd, *workload, options->render, ctx.global);
  AddOutputFlag(cmd, options->output, kApplyOutputs, "one line per object applied");
  AddDryRunFlag(cmd, options->dry_run, kApplyDryRuns,
                "client prints what would be applied without a cluster; server has the server check it all");
  cmd->add_flag("--skip-preflight", options->skip_preflight, "Apply without the GPU fit, reference and access checks");
  cmd->add_flag("--wait", options->wait, "Follow the workload until it is ready (train: every pod running)");
  cmd->add_option("--timeout", options->timeout, "How long --wait waits (e.g. 30s, 10m)");
  options->ownership.AddTo(*cmd);
  cmd->add_option("--history-max", options->history_max,
                  "Revisions of this workload to keep (0 keeps every one); older ones are deleted after an apply")
      ->default_str(std::to_string(options->history_max));
  cmd->add_flag("--rollback-on-failure", options->rollback_on_failure,
                "With --wait: when the wait fails (exit 4 or 5), re-apply the previous deployed revision");
  cmd->callback([options, cmd, &ctx] {
    options->command_args = ctx.global.args;
    Status flags = FinishWorkloadFlags(*cmd, options->render);
    if (!flags.ok()) return ctx.Finish(flags);
    const char* term = std::getenv("TERM");
    const bool to_err = !options->output.empty();
    StreamTerminal progress(to_err ? ctx.streams.err : ctx.streams.out,
                            IsTerminalFd(to_err ? STDERR_FILENO : STDOUT_FILENO, term ? term : ""));
    ctx.Finish(RunWorkloadApply(*options, ctx.global.kube, ctx.streams, progress, ctx.error_exit_code));
  });
}

}  // namespace

void SetupServeCommand(CLI::App* cmd, CommandContext& ctx) { SetupApplyCommand(cmd, ctx, "serve"); }

void SetupTrainCommand(CLI::App* cmd, CommandContext& ctx) { SetupApplyCommand(cmd, ctx, "train"); }

}  // namespace llm

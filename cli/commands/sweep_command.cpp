#include "commands/sweep_command.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <set>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "commands/cluster_session.h"
#include "commands/command_flags.h"
#include "commands/preflight.h"
#include "commands/root_command.h"
#include "kube/object_fields.h"
#include "kube/resource_ref.h"
#include "kube/url_query.h"
#include "kube/well_known_names.h"
#include "output/human_duration.h"
#include "output/object_printer.h"
#include "render/render_pipeline.h"
#include "render/template_source.h"
#include "util/yaml_document.h"
#include "workload/sweep_trials.h"

namespace llm {
namespace {

using nlohmann::json;

constexpr OutputFormat kStatusOutputs[] = {OutputFormat::kTable, OutputFormat::kJson, OutputFormat::kYaml};
/// Log lines read for a metric when a trial's termination message has none.
constexpr int kMetricLogTail = 100;

bool IsMetricName(std::string_view name) {
  if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' || c == '/';
  });
}

/// --patch KIND/NAME=FILE naming the sweep patches each trial's object (KIND/NAME-<i>).
std::vector<std::string> TrialPatches(const std::vector<std::string>& patches, const std::string& sweep,
                                      const std::string& trial) {
  std::vector<std::string> out;
  for (const std::string& patch : patches) {
    const size_t slash = patch.find('/');
    const size_t equals = patch.find('=', slash == std::string::npos ? 0 : slash);
    if (slash != std::string::npos && equals != std::string::npos &&
        patch.compare(slash + 1, equals - slash - 1, sweep) == 0) {
      out.push_back(patch.substr(0, slash + 1) + trial + patch.substr(equals));
    } else {
      out.push_back(patch);
    }
  }
  return out;
}

struct RenderedTrial {
  PlannedTrial planned;
  std::vector<json> objects;
};

Result<std::vector<RenderedTrial>> RenderTrials(const SweepOptions& options, const SweepCluster& cluster,
                                                std::vector<PlannedTrial> planned) {
  RenderOptions render = options.render;
  if (cluster.namespace_explicit) render.request.namespace_ = cluster.ns;
  render.request.served = cluster.served;
  AddTenantDefaults(cluster.client, cluster.ns, render.request);
  std::unique_ptr<TemplateSource> templates =
      render.templates_dir ? DirectoryTemplateSource(*render.templates_dir) : EmbeddedTemplateSource();
  std::vector<RenderedTrial> rendered;
  for (PlannedTrial& trial : planned) {
    RenderRequest request = render.request;
    request.name = TrialJobName(trial.trial.sweep, trial.trial.index);
    request.trailing = trial.command;
    request.trial = trial.trial;
    request.patches = TrialPatches(render.request.patches, trial.trial.sweep, request.name);
    auto manifests = RenderManifests(request, *templates, ReadLocalFile);
    if (!manifests.ok()) return manifests.error().WithContext(fmt::format("trial {}", trial.trial.index));
    rendered.push_back({std::move(trial), ToApiObjects(*manifests)});
  }
  return rendered;
}

/// The trial's job among its objects (a Job or a JobSet).
const json* TrialJob(const std::vector<json>& objects) {
  for (const json& object : objects) {
    const std::string kind = object.value("kind", "");
    if (kind == "Job" || kind == "JobSet") return &object;
  }
  return nullptr;
}

/// The sweep as it stands in the cluster: its trials' jobs and their pods.
struct SweepState {
  json jobs = json::array();
  json pods = json::array();
};

std::string SweepSelector(const std::string& sweep) { return fmt::format("{}={}", kSweepLabel, sweep); }

/// The sweep's trial jobs of one kind (Job or JobSet), each with its kind filled in.
Result<json> ListTrialJobs(kube::RestClient& client, const kube::ResourceRef& jobs, const std::string& sweep) {
  kube::ListOptions list;
  list.label_selector = SweepSelector(sweep);
  LLM_ASSIGN_OR_RETURN(json listed, client.List(jobs, list));
  FillItemKinds(listed);  // the state of a Job or JobSet depends on which it is
  return ItemsOf(listed);
}

Result<json> ListTrialPods(kube::RestClient& client, const std::string& ns, const std::string& sweep) {
  kube::ListOptions list;
  list.label_selector = SweepSelector(sweep);
  LLM_ASSIGN_OR_RETURN(json listed, client.List(kube::core::Pods(ns), list));
  return ItemsOf(listed);
}

Result<SweepState> ReadSweepState(kube::RestClient& client, const kube::ResourceRef& jobs, const std::string& ns,
                                  const std::string& sweep) {
  SweepState state;
  LLM_ASSIGN_OR_RETURN(state.jobs, ListTrialJobs(client, jobs, sweep));
  LLM_ASSIGN_OR_RETURN(state.pods, ListTrialPods(client, ns, sweep));
  return state;
}

/// A metric from the last lines of the trial's log, for a trial whose
/// termination message has none (an image without /bin/sh's mkfifo, a
/// wrapper killed before it wrote).
std::optional<double> MetricFromLogTail(kube::RestClient& client, const std::string& ns, const std::string& pod,
                                        const std::string& metric) {
  kube::HttpRequest request;
  request.path = kube::core::PodLog(ns, pod).Path() +
                 kube::EncodeQuery({{"container", "trainer"}, {"tailLines", std::to_string(kMetricLogTail)}});
  auto log = client.Do(std::move(request));
  if (!log.ok() || log->status != 200) return std::nullopt;
  return MetricFromText(log->body, metric);
}

/// Rows with metrics from log tails where the messages had none (`from_logs`
/// remembers what was read, so each trial's log is read once).
std::vector<TrialRow> TrialRows(kube::RestClient& client, const std::string& ns, const SweepState& state,
                                const SweepObjective& objective, TimePoint now,
                                std::map<int, std::optional<double>>& from_logs) {
  std::vector<TrialRow> rows = ReadTrialRows(state.jobs, state.pods, objective, now);
  for (TrialRow& row : rows) {
    if (!row.ended || row.metric || row.metric_pod.empty()) continue;
    auto known = from_logs.find(row.index);
    if (known == from_logs.end()) {
      known = from_logs.emplace(row.index, MetricFromLogTail(client, ns, row.metric_pod, objective.metric)).first;
    }
    row.metric = known->second;
  }
  return rows;
}

std::string TrialResultLine(const TrialRow& row, const SweepObjective& objective) {
  const std::string took = row.duration ? " in " + HumanDuration(*row.duration) : "";
  if (row.state == "Failed") {
    return fmt::format("trial {} failed{}{}\n", row.index, took, row.reason.empty() ? "" : ": " + row.reason);
  }
  if (!row.metric) {
    return fmt::format(
        "trial {} completed{}, but printed no {}= line (read from its termination message and last "
        "{} log lines)\n",
        row.index, took, objective.metric, kMetricLogTail);
  }
  return fmt::format("trial {} completed{}: {}={:.6g}\n", row.index, took, objective.metric, *row.metric);
}

/// Refuses to resume when a trial that exists was drawn with other parameters
/// than these flags draw for it: the flags (or the seed) changed.
Status CheckResumable(const json& jobs, const std::vector<RenderedTrial>& trials, const std::string& sweep) {
  for (const json& job : ItemsOf(jobs)) {
    const int index = std::atoi(LabelOf(job, kTrialLabel).c_str());
    const std::string live = AnnotationOf(job, kTrialParamsAnnotation);
    const bool known = index >= 1 && static_cast<size_t>(index) <= trials.size();
    if (known && live == AnnotationOf(*TrialJob(trials[index - 1].objects), kTrialParamsAnnotation)) continue;
    return Error(ErrorKind::kConflict,
                 fmt::format("sweep {} has trial {} ({}) with parameters {}, which these flags do not draw: give the "
                             "same --param, --trials and --seed to resume it, or remove it first (kubectl llm delete "
                             "{})",
                             sweep, index, NameOf(job), live, sweep));
  }
  return Ok();
}

}  // namespace

Result<std::vector<PlannedTrial>> PlanSweep(const SweepOptions& options) {
  LLM_RETURN_IF_ERROR(ValidateRenderOptions(options.render));
  LLM_RETURN_IF_ERROR(options.ownership.Validate());
  const std::string& name = options.render.request.name;
  if (options.metric.empty()) {
    return Error(ErrorKind::kUsage,
                 "--metric is required: the name each trial prints as NAME=VALUE (e.g. --metric "
                 "val_loss for a line val_loss=0.31)");
  }
  if (!IsMetricName(options.metric)) {
    return Error(ErrorKind::kUsage,
                 fmt::format("--metric {}: a metric name starts with a letter or '_' and holds letters, digits, '_', "
                             "'.', '-' or '/'",
                             options.metric));
  }
  if (options.mode != "min" && options.mode != "max") {
    return Error(ErrorKind::kUsage, fmt::format("--mode must be min or max, got \"{}\"", options.mode));
  }
  if (options.parallel < 1) {
    return Error(ErrorKind::kUsage, fmt::format("--parallel must be at least 1, got {}", options.parallel));
  }
  const std::vector<std::string>& command = options.render.request.trailing;
  if (command.empty()) {
    return Error(ErrorKind::kUsage,
                 "sweep needs the trial's command after '--', with the parameters as {NAME} (e.g. -- torchrun "
                 "train.py --lr {lr})");
  }
  std::vector<SweepParam> params;
  for (const std::string& spec : options.params) {
    LLM_ASSIGN_OR_RETURN(SweepParam param, ParseSweepParam(spec));
    params.push_back(std::move(param));
  }
  LLM_ASSIGN_OR_RETURN(std::vector<TrialParams> drawn,
                       PlanTrials(params, options.trials, options.seed.value_or(DefaultSweepSeed(name))));
  LLM_RETURN_IF_ERROR(CheckPlaceholders(command, params));
  std::vector<PlannedTrial> planned;
  for (size_t i = 0; i < drawn.size(); ++i) {
    PlannedTrial trial;
    trial.trial = SweepTrial{name, static_cast<int>(i + 1), drawn[i], options.metric, options.mode == "max"};
    trial.command = FillPlaceholders(command, drawn[i]);
    planned.push_back(std::move(trial));
  }
  return planned;
}

Status RunSweep(const SweepOptions& options, SweepCluster& cluster, IoStreams streams,
                std::optional<int>& error_exit_code) {
  LLM_ASSIGN_OR_RETURN(std::vector<PlannedTrial> planned, PlanSweep(options));
  const std::string& name = options.render.request.name;
  const SweepObjective objective{options.metric, options.mode == "max"};
  // Every trial is rendered (and so checked) before anything is created.
  LLM_ASSIGN_OR_RETURN(std::vector<RenderedTrial> trials, RenderTrials(options, cluster, std::move(planned)));
  const json& first_job = *TrialJob(trials.front().objects);
  LLM_ASSIGN_OR_RETURN(kube::RestMapping mapping,
                       cluster.mapper.Map(first_job.value("apiVersion", ""), first_job.value("kind", "")));
  kube::ResourceRef jobs = mapping.resource;
  jobs.ns = cluster.ns;
  const std::string queue = LabelOf(first_job, "kueue.x-k8s.io/queue-name");

  LLM_ASSIGN_OR_RETURN(SweepState state, ReadSweepState(cluster.client, jobs, cluster.ns, name));
  LLM_RETURN_IF_ERROR(CheckResumable(state.jobs, trials, name));
  std::set<int> existing;
  for (const json& job : ItemsOf(state.jobs)) existing.insert(std::atoi(LabelOf(job, kTrialLabel).c_str()));

  if (existing.empty() && !options.skip_preflight) {
    // One trial's fit: the sweep runs the same job shape again and again.
    PreflightRequest preflight;
    preflight.objects = trials.front().objects;
    preflight.ns = cluster.ns;
    preflight.instance = NameOf(first_job);
    LLM_ASSIGN_OR_RETURN(std::vector<std::string> warnings, RunPreflight(cluster.client, cluster.mapper, preflight));
    for (const std::string& warning : warnings) streams.err << "Warning: " << warning << "\n";
  }

  const size_t total = trials.size();
  streams.out << fmt::format(
      "sweep {}: {} trial{}, {}, best by {} {}", name, total, total == 1 ? "" : "s",
      queue.empty() ? fmt::format("{} at a time", options.parallel) : fmt::format("queued in LocalQueue {}", queue),
      options.mode, options.metric);
  if (!existing.empty()) streams.out << fmt::format(" ({} exist already)", existing.size());
  streams.out << "\n" << std::flush;

  kube::ApplierOptions apply = WorkloadApplierOptions(cluster.ns, /*dry_run=*/false);
  apply.enforce_namespace = cluster.namespace_explicit;
  apply.field_manager = options.ownership.field_manager;
  apply.force_conflicts = options.ownership.force_conflicts;
  apply.prune = false;  // each start adds its trial to the set; the others stay
  const kube::ApplySetRef set{name, cluster.ns};
  auto create = [&](std::vector<size_t> indexes) -> Status {
    std::vector<json> objects;
    for (size_t i : indexes) objects.insert(objects.end(), trials[i].objects.begin(), trials[i].objects.end());
    LLM_ASSIGN_OR_RETURN(kube::ApplyOutcome outcome, cluster.applier.Apply(std::move(objects), set, apply));
    if (!outcome.errors.empty()) return outcome.errors.front().WithContext(fmt::format("creating sweep {}", name));
    for (size_t i : indexes) {
      const SweepTrial& trial = trials[i].planned.trial;
      existing.insert(trial.index);
      streams.out << fmt::format("trial {} {}: {} ({})\n", trial.index, queue.empty() ? "started" : "queued",
                                 FormatTrialParams(trial.params), ResourceName(*TrialJob(trials[i].objects)))
                  << std::flush;  // each line as it happens, also through a pipe
    }
    return Ok();
  };
  if (!queue.empty()) {
    // Kueue decides: every missing trial at once, suspended until admitted.
    std::vector<size_t> missing;
    for (size_t i = 0; i < total; ++i) {
      if (!existing.count(trials[i].planned.trial.index)) missing.push_back(i);
    }
    if (!missing.empty()) LLM_RETURN_IF_ERROR(create(missing));
  }

  std::set<int> reported;
  std::map<int, std::optional<double>> from_logs;
  std::vector<TrialRow> rows;
  while (true) {
    LLM_ASSIGN_OR_RETURN(state, ReadSweepState(cluster.client, jobs, cluster.ns, name));
    rows = TrialRows(cluster.client, cluster.ns, state, objective, cluster.clock.Now(), from_logs);
    int running = 0;
    for (const TrialRow& row : rows) {
      if (!row.ended) ++running;
      if (row.ended && reported.insert(row.index).second) streams.out << TrialResultLine(row, objective) << std::flush;
    }
    // A trial created a moment ago may not be listed yet: count it as running.
    for (int index : existing) {
      if (std::none_of(rows.begin(), rows.end(), [&](const TrialRow& row) { return row.index == index; })) ++running;
    }
    if (queue.empty()) {
      for (size_t i = 0; i < total && running < options.parallel; ++i) {
        if (existing.count(trials[i].planned.trial.index)) continue;
        LLM_RETURN_IF_ERROR(create({i}));
        ++running;
      }
    }
    if (existing.size() == total && running == 0 && reported.size() == total) break;
    cluster.clock.SleepFor(options.poll_interval);
  }

  RankTrials(rows, objective);
  streams.out << "\n" << TrialTable(rows, objective).Render(/*wide=*/false);
  if (std::none_of(rows.begin(), rows.end(), [](const TrialRow& row) { return row.state == "Completed"; })) {
    error_exit_code = kExitWorkloadFailed;
    return Error(ErrorKind::kServer, fmt::format("no trial of sweep {} completed", name));
  }
  return Ok();
}

Status RunSweepStatus(const std::string& name, const std::string& output, kube::RestClient& client,
                      kube::RestMapper& mapper, const std::string& ns, TimePoint now, IoStreams streams) {
  LLM_ASSIGN_OR_RETURN(OutputSpec format, ParseOutputFormat(output, kStatusOutputs));
  // The trials are Indexed Jobs or JobSets (whichever train chose): both are read.
  SweepState state;
  for (const auto& [api_version, kind] : {std::pair<std::string, std::string>{"batch/v1", "Job"},
                                          std::pair<std::string, std::string>{"jobset.x-k8s.io/v1alpha2", "JobSet"}}) {
    auto mapping = mapper.Map(api_version, kind);
    if (!mapping.ok()) {
      if (mapping.error().kind() == ErrorKind::kNotFound) continue;  // JobSet not installed
      return mapping.error();
    }
    kube::ResourceRef ref = mapping->resource;
    ref.ns = ns;
    LLM_ASSIGN_OR_RETURN(json jobs, ListTrialJobs(client, ref, name));
    for (json& job : jobs) state.jobs.push_back(std::move(job));
  }
  // Both kinds' pods carry the sweep's label: one list.
  LLM_ASSIGN_OR_RETURN(state.pods, ListTrialPods(client, ns, name));
  const std::optional<SweepObjective> objective = ReadSweepObjective(state.jobs);
  if (!objective) {
    return Error(
        ErrorKind::kNotFound,
        fmt::format("sweep \"{}\" has no trials in namespace \"{}\" (kubectl llm status lists what runs there)", name,
                    ns));
  }
  std::map<int, std::optional<double>> from_logs;
  std::vector<TrialRow> rows = TrialRows(client, ns, state, *objective, now, from_logs);
  RankTrials(rows, *objective);
  if (format.is_table()) {
    streams.out << TrialTable(rows, *objective).Render(/*wide=*/false);
    return Ok();
  }
  LLM_ASSIGN_OR_RETURN(std::string text, FormatDocument(SweepStatusJson(name, rows, *objective), format));
  streams.out << text;
  return Ok();
}

void SetupSweepCommand(CLI::App* cmd, CommandContext& ctx) {
  auto options = std::make_shared<SweepOptions>();
  AddApplyWorkloadFlags(*cmd, *FindWorkload("train"), options->render, ctx.global);
  // NAME is checked in the callback: `sweep status NAME` does not give the sweep's own.
  cmd->get_option("NAME")->required(false);
  cmd->add_option("--param", options->params,
                  "A parameter: NAME=V1,V2,... (grid), NAME=uniform:LOW:HIGH, NAME=loguniform:LOW:HIGH, "
                  "NAME=int:LOW:HIGH or NAME=choice:A|B|C; {NAME} in the command takes its value (repeatable)")
      ->allow_extra_args(false)
      ->option_text(" NAME=VALUES");
  cmd->add_option("--metric", options->metric,
                  "The objective: each trial prints NAME=VALUE lines (Katib's convention), the last one counts")
      ->option_text(" NAME");
  cmd->add_option("--mode", options->mode, "min or max: whether a lower or higher metric is better")
      ->default_str("min")
      ->option_text(" min|max");
  cmd->add_option("--trials", options->trials,
                  "Samples of the distributions for each combination of the grid values (default 1)")
      ->option_text(" N");
  cmd->add_option("--parallel", options->parallel,
                  "Trials running at once; the next starts when one ends (default 1; with --queue, Kueue decides)")
      ->option_text(" P");
  cmd->add_option("--seed", options->seed, "Seed of the sampling (default: from NAME, so a rerun draws the same)")
      ->option_text(" S");
  cmd->add_flag("--skip-preflight", options->skip_preflight, "Create without the GPU fit, reference and access checks");
  options->ownership.AddTo(*cmd);

  CLI::App* status = cmd->add_subcommand("status", "Show a sweep's trials, best first");
  status->footer("");  // CLI11 copies the parent's footer (render's values and patches), which status has none of
  auto status_name = std::make_shared<std::string>();
  auto status_output = std::make_shared<std::string>();
  status->add_option("NAME", *status_name, "The sweep's name")->required();
  AddOutputFlag(status, *status_output, kStatusOutputs, "a table of the trials, best first");
  status->callback([status_name, status_output, &ctx] {
    auto session = ClusterSession::Open(ctx.global.kube, ctx.streams);
    if (!session.ok()) return ctx.Finish(session.error());
    ClusterSession& cluster = **session;
    ctx.Finish(RunSweepStatus(*status_name, *status_output, cluster.client(), cluster.mapper(), cluster.ns(),
                              cluster.clock().Now(), ctx.streams));
  });

  cmd->callback([options, cmd, status, &ctx] {
    if (status->parsed()) return;
    if (options->render.request.name.empty()) {
      return ctx.Finish(Error(ErrorKind::kUsage, "sweep needs NAME (or: kubectl llm sweep status NAME)"));
    }
    if (Status flags = FinishWorkloadFlags(*cmd, options->render); !flags.ok()) return ctx.Finish(flags);
    if (auto planned = PlanSweep(*options); !planned.ok()) return ctx.Finish(planned.error());
    auto session = ClusterSession::Open(ctx.global.kube, ctx.streams);
    if (!session.ok()) return ctx.Finish(session.error());
    ClusterSession& opened = **session;
    auto served = opened.Served();
    if (!served.ok()) return ctx.Finish(served.error());
    SweepCluster cluster{opened.client(), opened.mapper(), opened.applier(), opened.ns(), opened.namespace_explicit(),
                         *served,         opened.clock()};
    ctx.Finish(RunSweep(*options, cluster, ctx.streams, ctx.error_exit_code));
  });
}

}  // namespace llm

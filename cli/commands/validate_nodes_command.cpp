#include "commands/validate_nodes_command.h"

#include <algorithm>
#include <cctype>
#include <future>
#include <random>
#include <set>
#include <unordered_map>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "commands/cluster_session.h"
#include "commands/command_flags.h"
#include "commands/validate_nodes_cleanup.h"
#include "commands/validate_nodes_session.h"
#include "kube/client_factory.h"
#include "kube/wait_condition.h"
#include "kube/waiter.h"
#include "kube/well_known_names.h"
#include "node_validation/html_report.h"
#include "node_validation/node_pairing.h"
#include "node_validation/report_reader.h"
#include "node_validation/validate_plan.h"
#include "node_validation/validation_report.h"
#include "render/manifest_printer.h"
#include "render/render_pipeline.h"
#include "render/template_source.h"
#include "util/build_info.h"
#include "util/interrupt_signals.h"

namespace llm {
namespace {

using nlohmann::json;

constexpr double kValidateNodesQps = 100;
constexpr int kValidateNodesBurst = 200;

/// A namespace being deleted (by the previous run's clean-up) refuses new pods.
constexpr std::chrono::minutes kNamespaceGoneTimeout{2};

std::string RandomRunId() {
  static constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device device;
  std::uniform_int_distribution<std::size_t> pick(0, kAlphabet.size() - 1);
  std::string id;
  for (int i = 0; i < 5; ++i) id += kAlphabet[pick(device)];
  return id;
}

/// The renderer's gpu-check pod for one node, labelled with the run id.
Result<Json> RenderGpuCheckPod(const GpuCheckPodRequest& pod, const std::string& ns, const std::string& run_id,
                               int batch, const TemplateSource& templates) {
  RenderRequest request;
  request.workload = "gpu-check";
  request.name = pod.name;
  request.namespace_ = ns;
  request.flags["node"] = {pod.node};
  request.flags["gpus"] = {std::to_string(pod.gpus)};
  request.flags["profile"] = {pod.profile};
  request.flags["activeDeadline"] = {std::to_string(pod.active_deadline_seconds)};
  request.flags["tolerations"] = pod.tolerations;
  if (!pod.image.empty()) request.flags["image"] = {pod.image};
  ReadFileFn no_files = [](const std::string& path) -> Result<std::string> {
    return Error(ErrorKind::kInternal, fmt::format("validate-nodes reads no files, asked for {}", path));
  };
  LLM_ASSIGN_OR_RETURN(std::vector<Json> manifests, RenderManifests(request, templates, no_files));
  if (manifests.size() != 1) {
    return Error(ErrorKind::kInternal,
                 fmt::format("gpu-check rendered {} objects, expected one pod", manifests.size()));
  }
  Json manifest = std::move(manifests.front());
  manifest["metadata"]["labels"][kGpuCheckRunLabel] = run_id;
  manifest["metadata"]["labels"][kGpuCheckBatchLabel] = std::to_string(batch);
  return manifest;
}

/// The pair's headless Service and Indexed Job, every object and the Job's
/// pods labelled with the run id.
Result<std::vector<Json>> RenderGpuCheckPair(const GpuCheckPairRequest& pair, const std::string& ns,
                                             const std::string& run_id, const TemplateSource& templates) {
  RenderRequest request;
  request.workload = "gpu-check";
  request.name = pair.name;
  request.namespace_ = ns;
  request.flags["ncclNodes"] = pair.nodes;
  request.flags["gpus"] = {std::to_string(pair.gpus)};
  request.flags["profile"] = {pair.profile};
  request.flags["activeDeadline"] = {std::to_string(pair.active_deadline_seconds)};
  request.flags["tolerations"] = pair.tolerations;
  if (!pair.image.empty()) request.flags["image"] = {pair.image};
  ReadFileFn no_files = [](const std::string& path) -> Result<std::string> {
    return Error(ErrorKind::kInternal, fmt::format("validate-nodes reads no files, asked for {}", path));
  };
  LLM_ASSIGN_OR_RETURN(std::vector<Json> manifests, RenderManifests(request, templates, no_files));
  for (Json& manifest : manifests) {
    manifest["metadata"]["labels"][kGpuCheckRunLabel] = run_id;
    if (manifest.value("kind", "") == "Job")
      manifest["spec"]["template"]["metadata"]["labels"][kGpuCheckRunLabel] = run_id;
  }
  return manifests;
}

std::string PodImage(const Json& pod) {
  const Json& containers = pod["spec"]["containers"];
  return containers.is_array() && !containers.empty() ? containers[0].value("image", "") : "";
}

/// Creates the namespace unless it exists (waiting out one still being
/// deleted). Returns true when this run created it. Pods there run with no
/// ServiceAccount token (the template says so) under the restricted Pod
/// Security Standard, enforced by the namespace.
Result<bool> EnsureNamespace(kube::RestClient& client, Clock& clock, const std::string& ns) {
  kube::ResourceRef ref = kube::core::Namespaces(ns);
  auto existing = client.Get(ref);
  if (existing.ok()) {
    if (existing->value("status", json::object()).value("phase", "") != "Terminating") return false;
    kube::Waiter waiter(client, clock);
    auto gone = waiter.WaitFor(ref, kube::IsDeleted(), kNamespaceGoneTimeout);
    if (!gone.ok()) return gone.error().WithContext(fmt::format("waiting for namespace {} to finish terminating", ns));
  } else if (existing.error().kind() != ErrorKind::kNotFound) {
    return existing.error();
  }
  json object = {{"apiVersion", "v1"},
                 {"kind", "Namespace"},
                 {"metadata",
                  {{"name", ns},
                   {"labels",
                    {{std::string(kManagedByLabel), std::string(kManagedByValue)},
                     {std::string(kComponentLabel), "gpu-check"},
                     {"pod-security.kubernetes.io/enforce", "restricted"}}}}}};
  auto created = client.Create(ref, object, /*dry_run=*/false);
  if (!created.ok() && created.error().kind() != ErrorKind::kAlreadyExists) return created.error();
  return created.ok();
}

/// An object --dry-run shows, and where it would run ("on node a").
struct DryRunObject {
  Json object;
  std::string where;
};

kube::ResourceRef RefFor(const Json& object, const std::string& ns) {
  const std::string name = object["metadata"].value("name", "");
  const std::string kind = object.value("kind", "");
  if (kind == "Job") return {"batch", "v1", "jobs", ns, name, ""};
  if (kind == "Service") return kube::core::Services(ns, name);
  return kube::core::Pods(ns, name);
}

/// --dry-run: the selection and the objects it would create, nothing started.
Status PrintDryRun(kube::RestClient& client, const ValidateNodesConfig& config, const NodeSelection& selection,
                   std::vector<DryRunObject> objects, const std::string& ns, IoStreams streams) {
  const bool server = config.dry_run == kube::DryRun::kServer;
  if (server) {
    for (DryRunObject& o : objects) {
      auto created = client.Create(RefFor(o.object, ns), json(o.object), /*dry_run=*/true);
      if (!created.ok()) return created.error();
      o.object = Json(*created);
    }
  }
  if (!config.output.is_table()) {
    std::vector<Json> shown;
    for (const DryRunObject& o : objects) shown.push_back(o.object);
    LLM_ASSIGN_OR_RETURN(std::string text, FormatManifests(shown, config.output));
    streams.out << text;
    return Ok();
  }
  const char* suffix = server ? "(server dry run)" : "(dry run)";
  for (const DryRunObject& o : objects) {
    std::string kind = o.object.value("kind", "");
    std::transform(kind.begin(), kind.end(), kind.begin(), [](unsigned char c) { return std::tolower(c); });
    streams.out << fmt::format("{}/{} created {}{}\n", kind, o.object["metadata"].value("name", ""),
                               o.where.empty() ? "" : o.where + " ", suffix);
  }
  for (const SkippedNode& node : selection.skipped) {
    streams.out << fmt::format("node/{} skipped: {}\n", node.name, node.reason);
  }
  return Ok();
}

/// The nodes that passed alone, for the pairing.
std::vector<NodeCandidate> PassedAlone(const NodeSelection& selection, const std::vector<NodeResult>& results) {
  std::set<std::string> passed;
  for (const NodeResult& r : results) {
    if (r.verdict == Verdict::kPass) passed.insert(r.node);
  }
  std::vector<NodeCandidate> out;
  for (const NodeCandidate& c : selection.to_test) {
    if (passed.contains(c.name)) out.push_back(c);
  }
  return out;
}

/// Writes the page; a note on stderr says where (stdout keeps the report).
Status WriteHtmlReport(const NodeValidationReport& report, const std::string& path, FileSystem& files,
                       IoStreams streams) {
  Status written = files.WriteFile(path, RenderHtmlReport(report));
  if (!written.ok())
    return Error(ErrorKind::kInternal, fmt::format("--report: cannot write {}: {}", path, written.error().message()));
  streams.err << fmt::format("validate-nodes: wrote {} ({} nodes)\n", path, report.results.size());
  return Ok();
}

}  // namespace

Result<int> RunValidateNodesFromJson(const ValidateNodesOptions& options, FileSystem& files, IoStreams streams) {
  LLM_ASSIGN_OR_RETURN(ValidateNodesConfig config, ValidateNodesFlags(options));
  auto text = files.ReadFile(config.from_json);
  if (!text.ok()) {
    return Error(ErrorKind::kUsage,
                 fmt::format("--from-json: cannot read {}: {}", config.from_json, text.error().message()));
  }
  const nlohmann::json document = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) {
    return Error(ErrorKind::kUsage, fmt::format("--from-json: {} is not JSON (want the output of "
                                                "kubectl llm validate-nodes -o json)",
                                                config.from_json));
  }
  auto report = ParseReportJson(document);
  if (!report.ok()) {
    return Error(ErrorKind::kUsage, fmt::format("--from-json: {}: {}", config.from_json, report.error().message()));
  }
  LLM_RETURN_IF_ERROR(WriteHtmlReport(*report, config.report_path, files, streams));
  return 0;
}

namespace {

/// --dry-run: every pod this run would create, and with --multi-node the
/// first round of pairs, as if every node passed alone.
Result<std::vector<DryRunObject>> WouldCreate(const ValidateNodesConfig& config, const NodeSelection& selection,
                                              const std::string& run_id, const GpuCheckPodRenderer& render,
                                              const GpuCheckPairRenderer& render_pair) {
  std::vector<DryRunObject> would_create;
  for (const NodeCandidate& node : selection.to_test) {
    LLM_ASSIGN_OR_RETURN(Json pod, render(node, GpuCheckPodName(node.name, run_id)));
    would_create.push_back({std::move(pod), "on node " + node.name});
  }
  if (!config.multi_node) return would_create;
  std::map<std::string, const NodeCandidate*> by_name;
  std::vector<std::string> names;
  for (const NodeCandidate& node : selection.to_test) {
    by_name.emplace(node.name, &node);
    names.push_back(node.name);
  }
  int number = 0;
  for (const NodePair& pair : PlanNodePairs(names, {}).next) {
    const std::string job = GpuCheckPairJobName(run_id, ++number);
    LLM_ASSIGN_OR_RETURN(std::vector<Json> objects,
                         render_pair(*by_name.at(pair.first), *by_name.at(pair.second), job));
    for (Json& object : objects) {
      const bool is_job = object.value("kind", "") == "Job";
      would_create.push_back(
          {std::move(object), is_job ? fmt::format("on nodes {}, {}", pair.first, pair.second) : ""});
    }
  }
  return would_create;
}

/// What the live run leaves for recording and the exit code.
struct NodesRunOutcome {
  int signal = 0;                         ///< the run was interrupted by this signal
  std::set<std::string> not_to_record;    ///< verdicts an interrupt cut short, or not the node's: it keeps its labels
  std::map<std::string, json> last_seen;  ///< the nodes as last watched (their labels are patched from here)
  /// The clean-up of this run's objects, under way while the verdicts are
  /// recorded: the two touch different objects (pods, nodes), and on 1,000
  /// nodes each takes seconds (the pods' deletecollection about 7 s), so the
  /// run waits for the slower of the two, not for their sum. Not valid with
  /// --keep.
  std::future<Status> cleaned;
};

/// Runs the self-test on the selected nodes (then, with --multi-node, the
/// pairs), fills the report's results and starts the clean-up of this run's
/// objects (run.cleaned); when the run fails, cleans up before returning.
Status RunOnNodes(kube::RestClient& client, Clock& clock, const ValidateNodesEnv& env,
                  const ValidateNodesConfig& config, const std::string& run_id, const NodeSelection& selection,
                  const GpuCheckPodRenderer& render, const GpuCheckPairRenderer& render_pair, IoStreams streams,
                  NodeValidationReport& report, NodesRunOutcome& run) {
  LLM_ASSIGN_OR_RETURN(bool namespace_created, EnsureNamespace(client, clock, env.ns));
  const int pod_batches =
      static_cast<int>((selection.to_test.size() + kPodsPerCleanupBatch - 1) / kPodsPerCleanupBatch);
  // Pods run with keep on: the ended ones are removed in one request below,
  // and pods the run gives up on are still deleted at once.
  ValidationRunConfig live = RunConfigFor(config, run_id);
  live.keep = true;
  auto ran = ExecuteValidationRun(client, clock,
                                  LiveRunRequest{env.ns, run_id, live, selection.to_test, render, env.interrupted});
  std::optional<Error> failure;
  if (ran.ok()) {
    report.results = std::move(ran->results);
    run.last_seen = std::move(ran->nodes);
    run.signal = ran->signal;
    run.not_to_record = std::move(ran->interrupted_nodes);
    run.not_to_record.insert(ran->unseen_nodes.begin(), ran->unseen_nodes.end());
  } else {
    failure = ran.error();
  }
  if (!failure && run.signal == 0 && config.multi_node) {
    report.multi_node = true;
    auto paired = ExecutePairRun(client, clock,
                                 PairRunRequest{env.ns, run_id, PairRunConfigFor(config, run_id),
                                                PassedAlone(selection, report.results), render_pair, env.interrupted});
    if (paired.ok()) {
      report.pairs = std::move(paired->pairs);
      ApplyMultiNodeResults(paired->node_results, report);
      for (auto& [name, node] : paired->nodes) run.last_seen[name] = std::move(node);
      run.signal = paired->signal;
      run.not_to_record.insert(paired->interrupted_nodes.begin(), paired->interrupted_nodes.end());
    } else {
      failure = paired.error();
    }
  }
  if (run.signal != 0) {
    streams.err << fmt::format(
        "validate-nodes: interrupted by {}: {}\n", SignalName(run.signal),
        config.keep ? "leaving this run's objects (--keep)" : "deleting this run's pods, jobs and services");
  }
  if (failure) {
    if (!config.keep) (void)CleanUpValidationRun(client, env.ns, run_id, namespace_created, pod_batches);
    return *failure;
  }
  if (!config.keep) {
    run.cleaned = std::async(std::launch::async, [&client, ns = env.ns, run_id, namespace_created, pod_batches] {
      return CleanUpValidationRun(client, ns, run_id, namespace_created, pod_batches);
    });
  }
  return Ok();
}

/// --record / --taint-failed: labels, annotations and taints on the nodes whose verdict stands.
Status RecordVerdicts(kube::RestClient& client, const ValidateNodesConfig& config, const NodesRunOutcome& run,
                      NodeValidationReport& report) {
  std::vector<NodeResult> to_record;
  for (const NodeResult& r : report.results) {
    if (!run.not_to_record.contains(r.node)) to_record.push_back(r);
  }
  LLM_RETURN_IF_ERROR(
      PatchNodes(client, to_record, run.last_seen, RecordSettingsFor(config, report.tool_version, report.image)));
  report.recorded = config.record;
  report.tainted = config.taint_failed;
  return Ok();
}

}  // namespace

Result<int> RunValidateNodes(const ValidateNodesOptions& options, const ValidateNodesEnv& env, IoStreams streams) {
  LLM_ASSIGN_OR_RETURN(ValidateNodesConfig config, ValidateNodesFlags(options));
  kube::RestClient& client = *env.client;
  Clock& clock = *env.clock;
  const std::string run_id = env.run_id.empty() ? RandomRunId() : env.run_id;
  auto interrupted = [&env] { return env.interrupted ? env.interrupted() : 0; };

  // Only what the selection reads is kept of each page, so 10,000 nodes and
  // a cluster's pods are never held whole.
  kube::ListOptions all_nodes;
  all_nodes.keep_item = [](json& node) {
    KeepSelectionFields(node);
    return true;
  };
  LLM_ASSIGN_OR_RETURN(json nodes, client.List(kube::core::Nodes(), all_nodes));
  kube::ListOptions active;
  active.field_selector = "status.phase!=Succeeded,status.phase!=Failed";
  active.keep_item = [](json& pod) { return HoldsNodeGpus(pod); };
  LLM_ASSIGN_OR_RETURN(json pods, client.List(kube::core::Pods(), active));
  LLM_ASSIGN_OR_RETURN(NodeSelection selection, SelectNodes(SelectionRequestFor(config), nodes, pods));
  nodes = json();
  pods = json();

  std::unique_ptr<TemplateSource> templates = EmbeddedTemplateSource();
  std::unordered_map<std::string, int> batch_of;
  for (std::size_t i = 0; i < selection.to_test.size(); ++i) {
    batch_of[selection.to_test[i].name] = static_cast<int>(i) / kPodsPerCleanupBatch;
  }
  auto render = [&](const NodeCandidate& node, const std::string& pod_name) {
    const auto batch = batch_of.find(node.name);
    return RenderGpuCheckPod(PodRequestFor(config, node, pod_name), env.ns, run_id,
                             batch == batch_of.end() ? 0 : batch->second, *templates);
  };
  auto render_pair = [&](const NodeCandidate& first, const NodeCandidate& second, const std::string& job) {
    return RenderGpuCheckPair(PairRequestFor(config, first, second, job), env.ns, run_id, *templates);
  };

  if (config.dry_run != kube::DryRun::kNone) {
    LLM_ASSIGN_OR_RETURN(std::vector<DryRunObject> would_create,
                         WouldCreate(config, selection, run_id, render, render_pair));
    LLM_RETURN_IF_ERROR(PrintDryRun(client, config, selection, std::move(would_create), env.ns, streams));
    return kValidateExitAllPassed;
  }

  NodeValidationReport report;
  report.profile = config.profile;
  report.tool_version = GetBuildInfo().version;
  report.image = config.image;
  report.started_at = clock.Now();
  report.skipped = selection.skipped;
  if (!selection.to_test.empty()) {
    LLM_ASSIGN_OR_RETURN(Json sample,
                         render(selection.to_test.front(), GpuCheckPodName(selection.to_test.front().name, run_id)));
    report.image = PodImage(sample);
  }
  // Interrupted before anything was created: nothing to clean up or record.
  if (const int signal = interrupted(); signal != 0) return ExitCodeForSignal(signal);

  NodesRunOutcome run;
  if (!selection.to_test.empty()) {
    LLM_RETURN_IF_ERROR(
        RunOnNodes(client, clock, env, config, run_id, selection, render, render_pair, streams, report, run));
  }
  AddProducts(selection, report.results);
  report.finished_at = clock.Now();

  Status recorded = config.record || config.taint_failed ? RecordVerdicts(client, config, run, report) : Ok();
  const Status cleaned = run.cleaned.valid() ? run.cleaned.get() : Ok();
  Result<std::string> printed = FormatReport(report, config.output);
  if (printed.ok()) streams.out << *printed;
  LLM_RETURN_IF_ERROR(cleaned);
  LLM_RETURN_IF_ERROR(recorded);
  LLM_RETURN_IF_ERROR(printed);
  if (!config.report_path.empty()) {
    DiskFileSystem disk;
    LLM_RETURN_IF_ERROR(WriteHtmlReport(report, config.report_path, env.files != nullptr ? *env.files : disk, streams));
  }
  if (run.signal != 0) return ExitCodeForSignal(run.signal);
  return ReportExitCode(report);
}

void SetupValidateNodesCommand(CLI::App* cmd, CommandContext& ctx) {
  auto options = std::make_shared<ValidateNodesOptions>();
  cmd->add_option("NODE", options->nodes, "Nodes to test (default: every GPU node)");
  cmd->add_option("-l,--selector", options->selector, "Label selector for the nodes to test");
  cmd->add_option("--profile", options->profile, "Self-test profile: quick or full")->capture_default_str();
  cmd->add_option("--image", options->image, "llm-gpu-check image (default: the one built with this plugin)");
  cmd->add_option("--timeout", options->timeout, "Per-node limit from pod creation (default 10m quick, 30m full)");
  cmd->add_option("--max-parallel", options->max_parallel, "Nodes tested at once")->capture_default_str();
  cmd->add_flag("--record", options->record, "Label and annotate each tested node with its verdict");
  cmd->add_flag("--taint-failed", options->taint_failed,
                "Taint failed nodes kubectl-llm.dev/gpu-check=failed:NoSchedule; untaint passing ones");
  cmd->add_flag("--include-busy", options->include_busy, "Also test nodes whose GPUs are in use");
  cmd->add_flag("--keep", options->keep, "Keep finished pods (and the namespace) for inspection");
  cmd->add_flag(
      "--multi-node", options->multi_node,
      "Then pair the nodes that passed for two-node NCCL all-reduce tests; re-pair failures to find the bad node");
  AddDryRunFlag(cmd, options->dry_run, kValidateNodesDryRuns,
                "print the pods instead of running them (server: as the server would admit them)");
  AddOutputFlag(cmd, options->output, kValidateNodesOutputs, "the report table");
  cmd->add_option("--validity", options->validity, "How long a recorded verdict stands")->capture_default_str();
  cmd->add_option("--unschedulable-grace", options->unschedulable_grace,
                  "How long a pod may stay unschedulable before it is an error")
      ->capture_default_str();
  cmd->add_option("--report", options->report,
                  "Also write the results as one self-contained HTML page (fleet summary, node table, heatmaps)");
  cmd->add_option("--from-json", options->from_json,
                  "Draw a saved -o json result as the --report page instead of running (no cluster needed)");
  cmd->callback([options, &ctx] {
    auto run = [&]() -> Result<int> {
      LLM_ASSIGN_OR_RETURN(ValidateNodesConfig checked, ValidateNodesFlags(*options));
      if (!checked.from_json.empty()) {
        DiskFileSystem files;
        return RunValidateNodesFromJson(*options, files, ctx.streams);
      }
      // About three requests per node (create, one shared delete, a node patch):
      // at the default 20/s a 1,000-node run would mostly wait on its own
      // limiter. The server's API Priority and Fairness still guards the cluster.
      kube::ClientEnvironment environment;
      environment.qps = kValidateNodesQps;
      environment.burst = kValidateNodesBurst;
      LLM_ASSIGN_OR_RETURN(std::unique_ptr<ClusterSession> session,
                           ClusterSession::Open(ctx.global.kube, ctx.streams, environment));
      SystemClock clock;
      // Ctrl-C or SIGTERM from here on: stop launching, clean up, exit 128+signal.
      InterruptSignals signals;
      ValidateNodesEnv env{session->shared_client(), &clock,
                           session->namespace_explicit() ? session->ns() : kGpuCheckNamespace, "",
                           [&signals] { return signals.received(); }};
      return RunValidateNodes(*options, env, ctx.streams);
    };
    Result<int> code = run();
    if (code.ok()) {
      ctx.exit_code = *code;
      ctx.Finish(Ok());
    } else {
      ctx.error_exit_code = ValidateNodesExitCodeForError(code.error());
      ctx.Finish(code.error());
    }
  });
}

}  // namespace llm

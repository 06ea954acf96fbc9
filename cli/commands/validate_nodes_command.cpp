#include "commands/validate_nodes_command.h"

#include <random>

#include <fmt/format.h>

#include "commands/validate_nodes_session.h"
#include "kube/client_factory.h"
#include "kube/url_query.h"
#include "kube/wait_condition.h"
#include "kube/waiter.h"
#include "render/manifest_printer.h"
#include "render/render_pipeline.h"
#include "render/template_source.h"
#include "util/build_info.h"
#include "validate/validate_plan.h"
#include "validate/validation_report.h"

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
                               const TemplateSource& templates) {
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
    return Error(ErrorKind::kInternal, fmt::format("gpu-check rendered {} objects, expected one pod", manifests.size()));
  }
  Json manifest = std::move(manifests.front());
  manifest["metadata"]["labels"][kGpuCheckRunLabel] = run_id;
  return manifest;
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
  kube::ResourceRef ref{"", "v1", "namespaces", "", ns, ""};
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
                    {{"app.kubernetes.io/managed-by", "kubectl-llm"},
                     {"app.kubernetes.io/component", "gpu-check"},
                     {"pod-security.kubernetes.io/enforce", "restricted"}}}}}};
  auto created = client.Create(ref, object, /*dry_run=*/false);
  if (!created.ok() && created.error().kind() != ErrorKind::kAlreadyExists) return created.error();
  return created.ok();
}

/// Deletes this run's pods in one request, and the namespace when the run made it.
Status CleanUp(kube::RestClient& client, const std::string& ns, const std::string& run_id, bool namespace_created) {
  kube::HttpRequest request;
  request.method = "DELETE";
  request.path = kube::ResourceRef{"", "v1", "pods", ns, "", ""}.Path() +
                 kube::EncodeQuery({{"labelSelector", fmt::format("{}={}", kGpuCheckRunLabel, run_id)}});
  auto deleted = client.Do(std::move(request));
  if (!deleted.ok()) return deleted.error().WithContext("deleting the gpu-check pods");
  if (!namespace_created) return Ok();
  auto gone = client.Delete(kube::ResourceRef{"", "v1", "namespaces", "", ns, ""}, kube::DeleteOptions{});
  if (!gone.ok() && gone.error().kind() != ErrorKind::kNotFound) {
    return gone.error().WithContext(fmt::format("deleting namespace {}", ns));
  }
  return Ok();
}

/// --dry-run: the selection and the pods it would create, nothing started.
Status PrintDryRun(kube::RestClient& client, const ValidateNodesConfig& config, const NodeSelection& selection,
                   const std::vector<Json>& pods, const std::string& ns, IoStreams streams) {
  const bool server = config.dry_run == DryRun::kServer;
  std::vector<Json> shown;
  for (const Json& pod : pods) {
    if (!server) {
      shown.push_back(pod);
      continue;
    }
    kube::ResourceRef ref{"", "v1", "pods", ns, pod["metadata"].value("name", ""), ""};
    auto created = client.Create(ref, json(pod), /*dry_run=*/true);
    if (!created.ok()) return created.error();
    shown.push_back(Json(*created));
  }
  if (config.format != ReportFormat::kTable) {
    streams.out << FormatManifests(shown, config.format == ReportFormat::kJson ? ManifestFormat::kJson
                                                                                : ManifestFormat::kYaml);
    return Ok();
  }
  const char* suffix = server ? "(server dry run)" : "(dry run)";
  for (std::size_t i = 0; i < shown.size(); ++i) {
    streams.out << fmt::format("pod/{} created on node {} {}\n", shown[i]["metadata"].value("name", ""),
                               selection.to_test[i].name, suffix);
  }
  for (const SkippedNode& node : selection.skipped) {
    streams.out << fmt::format("node/{} skipped: {}\n", node.name, node.reason);
  }
  return Ok();
}

}  // namespace

Result<int> RunValidateNodes(const ValidateNodesOptions& options, const ValidateNodesEnv& env, IoStreams streams) {
  LLM_ASSIGN_OR_RETURN(ValidateNodesConfig config, ValidateNodesFlags(options));
  if (config.multi_node) {
    return Error(ErrorKind::kUsage, "--multi-node is not available yet: only single-node checks run today");
  }
  kube::RestClient& client = *env.client;
  Clock& clock = *env.clock;
  const std::string run_id = env.run_id.empty() ? RandomRunId() : env.run_id;

  LLM_ASSIGN_OR_RETURN(json nodes, client.List(kube::ResourceRef{"", "v1", "nodes", "", "", ""}, kube::ListOptions{}));
  kube::ListOptions active;
  active.field_selector = "status.phase!=Succeeded,status.phase!=Failed";
  LLM_ASSIGN_OR_RETURN(json pods, client.List(kube::ResourceRef{"", "v1", "pods", "", "", ""}, active));
  LLM_ASSIGN_OR_RETURN(NodeSelection selection, SelectNodes(SelectionRequestFor(config), nodes, pods));
  nodes = json();
  pods = json();

  const ValidationRunConfig run_config = RunConfigFor(config, run_id);
  std::unique_ptr<TemplateSource> templates = EmbeddedTemplateSource();
  auto render = [&](const NodeCandidate& node, const std::string& pod_name) {
    return RenderGpuCheckPod(PodRequestFor(config, node, pod_name), env.ns, run_id, *templates);
  };

  if (config.dry_run != DryRun::kNone) {
    std::vector<Json> would_create;
    for (const NodeCandidate& node : selection.to_test) {
      LLM_ASSIGN_OR_RETURN(Json pod, render(node, GpuCheckPodName(node.name, run_id)));
      would_create.push_back(std::move(pod));
    }
    LLM_RETURN_IF_ERROR(PrintDryRun(client, config, selection, would_create, env.ns, streams));
    return kValidateExitAllPassed;
  }

  NodeValidationReport report;
  report.profile = config.profile;
  report.tool_version = GetBuildInfo().version;
  report.image = config.image;
  report.started_at = clock.Now();
  report.skipped = selection.skipped;
  if (!selection.to_test.empty()) {
    LLM_ASSIGN_OR_RETURN(Json sample, render(selection.to_test.front(), GpuCheckPodName(selection.to_test.front().name, run_id)));
    report.image = PodImage(sample);
  }

  bool namespace_created = false;
  LiveRunOutcome outcome;
  if (!selection.to_test.empty()) {
    LLM_ASSIGN_OR_RETURN(namespace_created, EnsureNamespace(client, clock, env.ns));
    // Pods run with keep on: the ended ones are removed in one request below,
    // and pods the run gives up on are still deleted at once.
    ValidationRunConfig live = run_config;
    live.keep = true;
    auto ran = ExecuteValidationRun(client, clock, LiveRunRequest{env.ns, run_id, live, selection.to_test, render});
    Status cleaned = config.keep ? Ok() : CleanUp(client, env.ns, run_id, namespace_created);
    if (!ran.ok()) return ran.error();
    if (!cleaned.ok()) return cleaned.error();
    outcome = std::move(*ran);
  }
  report.results = std::move(outcome.results);
  AddProducts(selection, report.results);
  report.finished_at = clock.Now();

  Status recorded = Ok();
  if (config.record || config.taint_failed) {
    auto patched = PatchNodes(client, report.results, outcome.nodes,
                              RecordSettingsFor(config, report.tool_version, report.image));
    if (patched.ok()) {
      report.recorded = config.record;
      report.tainted = config.taint_failed;
    } else {
      recorded = patched.error();
    }
  }
  streams.out << FormatReport(report, config.format);
  LLM_RETURN_IF_ERROR(recorded);
  return ReportExitCode(report);
}

void SetupValidateNodesCommand(CLI::App& root, CommandContext& ctx) {
  auto options = std::make_shared<ValidateNodesOptions>();
  CLI::App* cmd = root.add_subcommand("validate-nodes", "Run the GPU self-test on nodes and record the verdicts");
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
  cmd->add_flag("--multi-node", options->multi_node, "Add paired two-node NCCL tests (not available yet)");
  cmd->add_option("--dry-run", options->dry_run, "none, client or server: print the pods instead of running them");
  cmd->add_option("-o,--output", options->output, "Report format: table, json or yaml")->capture_default_str();
  cmd->add_option("--validity", options->validity, "How long a recorded verdict stands")->capture_default_str();
  cmd->add_option("--unschedulable-grace", options->unschedulable_grace,
                  "How long a pod may stay unschedulable before it is an error")
      ->capture_default_str();
  cmd->callback([options, &ctx] {
    auto run = [&]() -> Result<int> {
      LLM_ASSIGN_OR_RETURN(ValidateNodesConfig checked, ValidateNodesFlags(*options));
      (void)checked;  // usage errors before any connection
      // About three requests per node (create, one shared delete, a node patch):
      // at the default 20/s a 1,000-node run would mostly wait on its own
      // limiter. The server's API Priority and Fairness still guards the cluster.
      kube::ClientEnvironment environment;
      environment.qps = kValidateNodesQps;
      environment.burst = kValidateNodesBurst;
      LLM_ASSIGN_OR_RETURN(kube::Connection connection, kube::Connect(ctx.global.kube, ctx.streams, environment));
      SystemClock clock;
      ValidateNodesEnv env{connection.client, &clock,
                           connection.config.namespace_explicit ? connection.config.ns : kGpuCheckNamespace, ""};
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

#include "commands/scale_command.h"

#include <functional>
#include <memory>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "commands/cluster_session.h"
#include "commands/command_flags.h"
#include "commands/elastic_scale_wait.h"
#include "commands/managed_workloads.h"
#include "commands/root_command.h"
#include "commands/workload_revisions.h"
#include "kube/object_fields.h"
#include "output/object_printer.h"
#include "output/output_format.h"
#include "util/duration.h"
#include "workload/elastic_training.h"
#include "workload/scaled_revision.h"

namespace llm {
namespace {

struct Autoscaler {
  nlohmann::json object;
  kube::ResourceRef ref;  ///< with ns and name
  std::string min_field;  ///< minReplicas | minReplicaCount
  std::string max_field;
};

/// The HPA or ScaledObject whose scaleTargetRef names the workload (kinds the
/// server does not serve are skipped).
Result<std::optional<Autoscaler>> FindAutoscaler(kube::RestClient& client, kube::RestMapper& mapper,
                                                 const ManagedWorkload& workload, const std::string& ns) {
  struct Candidate {
    const char* api_version;
    const char* kind;
    const char* min_field;
    const char* max_field;
  };
  static const Candidate kCandidates[] = {
      {"autoscaling/v2", "HorizontalPodAutoscaler", "minReplicas", "maxReplicas"},
      {"keda.sh/v1alpha1", "ScaledObject", "minReplicaCount", "maxReplicaCount"},
  };
  const std::string target = NameOf(workload.object);
  for (const Candidate& c : kCandidates) {
    kube::GroupKind group_kind = kube::GroupKindOf(c.api_version, c.kind);
    LLM_ASSIGN_OR_RETURN(bool served, mapper.HasGroupKind(group_kind));
    if (!served) continue;
    LLM_ASSIGN_OR_RETURN(kube::RestMapping mapping, mapper.MapGroupKind(group_kind));
    kube::ResourceRef ref = mapping.resource;
    ref.ns = ns;
    auto list = client.List(ref, kube::ListOptions{});
    if (!list.ok()) return list.error();
    for (nlohmann::json& item : (*list)["items"]) {
      const nlohmann::json target_ref =
          item.value("spec", nlohmann::json::object()).value("scaleTargetRef", nlohmann::json::object());
      if (target_ref.value("name", "") != target) continue;
      // KEDA defaults the kind to Deployment.
      if (target_ref.value("kind", "Deployment") != workload.mapping.kind) continue;
      ref.name = NameOf(item);
      item["apiVersion"] = c.api_version;
      item["kind"] = c.kind;
      return std::optional<Autoscaler>(Autoscaler{std::move(item), ref, c.min_field, c.max_field});
    }
  }
  return std::optional<Autoscaler>();
}

/// How long a scale holds its pending revision: a scale is one request, so
/// the margin the other commands add for their apply is all it needs.
constexpr std::chrono::seconds kScaleLease = std::chrono::minutes(2);

/// How often a scale that the server refused with 409 (the object changed
/// between our read and our write) is tried again, re-reading each time, as
/// kubectl scale retries on conflict.
constexpr int kScaleAttempts = 5;

/// What scale prints once `resource` changed: kubectl's "RESOURCE scaled",
/// `done` (our longer line) with the dry-run suffix, or with -o name the
/// resource alone.
std::string ScaledLine(const ScaleOptions& options, const std::string& resource, const std::string& done) {
  if (options.output == "name") return resource + "\n";
  return fmt::format("{}{}\n", done, kube::DryRunSuffix(options.dry_run));
}

Status ScaleReplicas(const ScaleOptions& options, kube::RestClient& client, const ManagedWorkload& workload,
                     const std::string& ns, IoStreams streams) {
  kube::ResourceRef scale_ref = workload.mapping.resource;
  scale_ref.ns = ns;
  scale_ref.name = NameOf(workload.object);
  scale_ref.subresource = "scale";
  for (int attempt = 1;; ++attempt) {
    nlohmann::json patch = {{"spec", {{"replicas", *options.replicas}}}};
    if (options.current_replicas || !options.resource_version.empty()) {
      LLM_ASSIGN_OR_RETURN(nlohmann::json scale, client.Get(scale_ref));
      int64_t current = IntAt(scale, {"spec", "replicas"}, 0);
      const std::string version = StringAt(scale, {"metadata", "resourceVersion"});
      // kubectl's ScaleError for a failed precondition.
      if (options.current_replicas && current != *options.current_replicas) {
        return Error(ErrorKind::kConflict,
                     fmt::format("Expected replicas to be {}, was {}", *options.current_replicas, current));
      }
      if (!options.resource_version.empty() && version != options.resource_version) {
        return Error(ErrorKind::kConflict,
                     fmt::format("Expected resource version to be {}, was {}", options.resource_version, version));
      }
      // The read above and this write are one step: a change in between is a 409.
      patch["metadata"] = {{"resourceVersion", version}};
    }
    if (options.dry_run == kube::DryRun::kClient) break;
    auto patched = client.MergePatch(scale_ref, patch, options.dry_run == kube::DryRun::kServer);
    if (patched.ok()) break;
    // A precondition the user gave is not retried: the version moved on.
    if (!options.resource_version.empty() && patched.error().kind() == ErrorKind::kConflict) return patched.error();
    if (patched.error().kind() != ErrorKind::kConflict || attempt == kScaleAttempts) return patched.error();
  }
  const std::string resource = ResourceName(workload.object);
  streams.out << ScaledLine(options, resource, resource + " scaled");
  return Ok();
}

/// The autoscaler and the bounds --min/--max give it (an unset one keeps its value).
struct BoundsChange {
  Autoscaler autoscaler;
  nlohmann::json spec;  ///< {min_field: min, max_field: max}
};

Result<BoundsChange> PlanBounds(const ScaleOptions& options, kube::RestClient& client, kube::RestMapper& mapper,
                                const ManagedWorkload& workload, const std::string& ns) {
  LLM_ASSIGN_OR_RETURN(std::optional<Autoscaler> autoscaler, FindAutoscaler(client, mapper, workload, ns));
  if (!autoscaler) {
    return Error(ErrorKind::kInvalidInput,
                 fmt::format("{} has no HorizontalPodAutoscaler or ScaledObject: --min/--max need an autoscaled "
                             "workload (serve --autoscale); use --replicas to scale it",
                             ResourceName(workload.object)));
  }
  const nlohmann::json spec = autoscaler->object.value("spec", nlohmann::json::object());
  const bool hpa = autoscaler->min_field == "minReplicas";
  int64_t min = options.min_replicas.value_or(IntAt(spec, {autoscaler->min_field}, hpa ? 1 : 0));
  int64_t max = options.max_replicas.value_or(IntAt(spec, {autoscaler->max_field}, 100));
  if (hpa && min < 1) {
    return Error(ErrorKind::kInvalidInput, "--min must be at least 1 for a HorizontalPodAutoscaler");
  }
  if (min > max) {
    return Error(ErrorKind::kInvalidInput, fmt::format("--min ({}) must not exceed --max ({}) of {}", min, max,
                                                       ResourceName(autoscaler->object)));
  }
  nlohmann::json fields = {{autoscaler->min_field, min}, {autoscaler->max_field, max}};
  return BoundsChange{std::move(*autoscaler), std::move(fields)};
}

/// "horizontalpodautoscaler.autoscaling/chat patched (minReplicas 1, maxReplicas 8)".
std::string BoundsLine(const BoundsChange& change) {
  const Autoscaler& autoscaler = change.autoscaler;
  return fmt::format("{} patched ({} {}, {} {})", ResourceName(autoscaler.object), autoscaler.min_field,
                     change.spec[autoscaler.min_field].get<int64_t>(), autoscaler.max_field,
                     change.spec[autoscaler.max_field].get<int64_t>());
}

Status ScaleBounds(const BoundsChange& change, const ScaleOptions& options, kube::RestClient& client,
                   IoStreams streams) {
  const Autoscaler& autoscaler = change.autoscaler;
  if (options.dry_run == kube::DryRun::kClient) {
    streams.out << ScaledLine(options, ResourceName(autoscaler.object), BoundsLine(change));
    return Ok();
  }
  auto patched = client.MergePatch(autoscaler.ref, {{"spec", change.spec}}, options.dry_run == kube::DryRun::kServer);
  if (!patched.ok()) return patched.error();
  streams.out << ScaledLine(options, ResourceName(autoscaler.object), BoundsLine(change));
  return Ok();
}

/// Runs `scale` as one recorded revision: pending before it, deployed or
/// failed after. Its objects are the newest applied revision's with the
/// change in `spec` made to the object of `kind` named `object_name`; it keeps
/// that revision's change-cause, since scale changes no annotation.
Status Recorded(const ScaleRecorder& recorder, kube::RestClient& client, const std::string& ns,
                const std::string& workload, const std::string& kind, const std::string& object_name,
                const nlohmann::json& spec, const std::string& description, const std::function<Status()>& scale,
                IoStreams streams) {
  WorkloadRevisions revisions(client, recorder.clock, ns, workload);
  LLM_ASSIGN_OR_RETURN(std::vector<RevisionAudit> history, revisions.List());
  std::vector<nlohmann::json> objects;
  std::string cause;
  if (const RevisionAudit* base = NewestApplied(history)) {
    LLM_ASSIGN_OR_RETURN(Revision applied, revisions.Read(base->number));
    bool found = false;
    objects = WithSpecFields(std::move(applied.objects), kind, object_name, spec, found);
    cause = base->change_cause.empty() ? base->command_line : base->change_cause;
  }
  // Without an earlier revision (a workload from before history) the scale is
  // still recorded, with no objects: rollback refuses to return to it.
  Revision record = NewRevision(recorder.caller, "scale", std::move(objects));
  record.audit.change_cause = cause;
  LLM_ASSIGN_OR_RETURN(RevisionAudit audit, revisions.Begin(std::move(record), kScaleLease, streams.err));
  Status scaled = scale();
  audit.status = scaled.ok() ? RevisionStatus::kDeployed : RevisionStatus::kFailed;
  audit.description = scaled.ok() ? description : "Scale failed";
  if (!scaled.ok()) audit.reason = scaled.error().message();
  // Scale prunes no history: --history-max is serve's and train's.
  Status written = revisions.Finish(audit, /*history_max=*/0);
  if (scaled.ok()) return written;
  if (!written.ok()) streams.err << "Warning: " << written.error().message() << "\n";
  return scaled;
}

/// `--nodes K` on a JobSet: its replicated job's parallelism and completions,
/// the list sent whole (a merge patch replaces lists) with the resourceVersion
/// it was read at, so a change in between is a 409 and read again.
nlohmann::json JobSetNodesPatch(const nlohmann::json& jobset, int64_t nodes) {
  nlohmann::json jobs = ArrayAt(jobset, {"spec", "replicatedJobs"});
  if (!jobs.empty()) {
    jobs[0]["template"]["spec"]["parallelism"] = nodes;
    jobs[0]["template"]["spec"]["completions"] = nodes;
  }
  return {{"metadata", {{"resourceVersion", StringAt(jobset, {"metadata", "resourceVersion"})}}},
          {"spec", {{"replicatedJobs", jobs}}}};
}

/// The patch that sets an elastic job's size, from the object as last read.
nlohmann::json NodesPatch(const nlohmann::json& object, int64_t nodes) {
  if (StringAt(object, {"kind"}) == "JobSet") return JobSetNodesPatch(object, nodes);
  // Together, as an Indexed Job allows (completions may change only with parallelism, kept equal).
  return {{"spec", {{"parallelism", nodes}, {"completions", nodes}}}};
}

/// Why the server would not take the new size, in one sentence.
Error RefusedResize(const Error& refused, const std::string& what, const std::string& kind) {
  // Not a verdict on the size: unreachable, not logged in, or RBAC's "cannot patch".
  const bool webhook = refused.message().find("admission webhook") != std::string::npos;
  if (refused.kind() == ErrorKind::kConnection || refused.kind() == ErrorKind::kUnauthorized ||
      (refused.kind() == ErrorKind::kForbidden && !webhook)) {
    return refused;
  }
  std::string sentence = fmt::format("the server refuses to change the size of {}: {}", what, refused.message());
  if (kind == "JobSet") {
    sentence +=
        "; a JobSet changes parallelism only where its controller runs elastic JobSets (JobSet's ElasticJobSet "
        "feature gate, KEP-463): train it with --backend indexed-job (an Indexed Job, Kubernetes >= 1.31) to scale it";
  }
  return Error(ErrorKind::kInvalidInput, sentence + "; nothing was changed");
}

/// `--nodes K`: checks K against the bounds the job carries, asks the server
/// (dry run) whether it takes the new size, then sets it (as one revision)
/// and, with --wait, follows the job there.
Status ScaleNodes(const ScaleOptions& options, kube::RestClient& client, const ManagedWorkload& workload,
                  const std::string& ns, IoStreams streams, const ScaleRecorder* recorder, const ScaleFollow* follow) {
  const std::string what = ResourceName(workload.object);
  const std::string& kind = workload.mapping.kind;
  const int64_t nodes = *options.nodes;
  if (kind != "Job" && kind != "JobSet") {
    return Error(ErrorKind::kInvalidInput,
                 fmt::format("--nodes resizes an elastic training job (train --nodes MIN:MAX); {} is not one: use "
                             "--replicas",
                             what));
  }
  const std::optional<ElasticJob> job = ReadElasticJob(workload.object);
  if (!job) {
    return Error(ErrorKind::kInvalidInput,
                 fmt::format("--nodes: {} is not elastic: it was trained with a fixed --nodes, so its world size "
                             "cannot change; train it with --nodes MIN:MAX (and --checkpoint) to scale it",
                             what));
  }
  if (nodes < job->bounds.min || nodes > job->bounds.max) {
    return Error(ErrorKind::kUsage,
                 fmt::format("--nodes {}: {} runs from {} to {} nodes (trained with --nodes {}); "
                             "give a count in that range",
                             nodes, what, job->bounds.min, job->bounds.max, FormatNodeRange(job->bounds)));
  }
  if (job->finished) {
    return Error(ErrorKind::kInvalidInput, fmt::format("{} has finished: a finished job cannot change size", what));
  }
  if (job->queued && !job->kueue_elastic) {
    // Kueue admitted it for its old size: a Job that no longer matches its
    // Workload is suspended and queued again, every pod (index 0 too) deleted.
    return Error(ErrorKind::kInvalidInput,
                 fmt::format("Kueue queues {} but does not let it change size: its pods carry no "
                             "kueue.x-k8s.io/elastic-job scheduling gate, so Kueue's ElasticJobsViaWorkloadSlices "
                             "feature gate is off, and Kueue would stop the whole job and queue it again; turn the "
                             "gate on, or train without --queue; nothing was changed",
                             what));
  }
  if (nodes == job->nodes) {
    streams.out << (options.output == "name" ? what + "\n"
                                             : fmt::format("{} already runs {} nodes (--nodes {})\n", what, nodes,
                                                           FormatNodeRange(job->bounds)));
    return Ok();
  }
  const std::string done = fmt::format("{} scaled to {} nodes (--nodes {})", what, nodes, FormatNodeRange(job->bounds));
  if (options.dry_run == kube::DryRun::kClient) {
    streams.out << ScaledLine(options, what, done);
    return Ok();
  }
  kube::ResourceRef ref = workload.mapping.resource;
  ref.ns = ns;
  ref.name = NameOf(workload.object);
  // Asked first, so a refusal changes nothing: an API server before 1.31, a
  // JobSet webhook without elastic JobSets, an admission webhook.
  auto dry = client.MergePatch(ref, NodesPatch(workload.object, nodes), /*dry_run=*/true);
  if (!dry.ok()) return RefusedResize(dry.error(), what, kind);
  if (options.dry_run == kube::DryRun::kServer) {
    streams.out << ScaledLine(options, what, done);
    return Ok();
  }
  nlohmann::json applied = workload.object;
  auto scale = [&]() -> Status {
    for (int attempt = 1;; ++attempt) {
      auto patched = client.MergePatch(ref, NodesPatch(applied, nodes), false);
      if (patched.ok()) {
        applied = std::move(*patched);
        break;
      }
      if (patched.error().kind() != ErrorKind::kConflict || attempt == kScaleAttempts) return patched.error();
      LLM_ASSIGN_OR_RETURN(applied, client.Get(ref));
    }
    streams.out << ScaledLine(options, what, done);
    return Ok();
  };
  nlohmann::json spec = NodesPatch(workload.object, nodes)["spec"];
  Status scaled = recorder == nullptr ? scale()
                                      : Recorded(*recorder, client, ns, options.name, kind, ref.name, spec,
                                                 fmt::format("Scaled to {} nodes", nodes), scale, streams);
  if (!scaled.ok() || !options.wait || follow == nullptr) return scaled;
  LLM_ASSIGN_OR_RETURN(Seconds timeout, ParseDuration(options.timeout, "--timeout"));
  ElasticScaleWaitRequest wait;
  wait.job = ref;
  wait.what = what;
  wait.instance = options.name;
  wait.nodes = nodes;
  wait.max_restarts = job->max_restarts;
  wait.timeout = timeout;
  WaitFailure failure = WaitFailure::kNone;
  Status followed = WaitForElasticScale(client, follow->clock, wait, follow->terminal, failure);
  if (failure == WaitFailure::kFailed) follow->error_exit_code = kExitWorkloadFailed;
  if (failure == WaitFailure::kTimedOut) follow->error_exit_code = kExitTimedOut;
  return followed;
}

}  // namespace

/// -o name prints resource/name alone, as kubectl scale -o name.
constexpr OutputFormat kScaleOutputs[] = {OutputFormat::kName};

Status ValidateScaleOptions(const ScaleOptions& options) {
  if (options.name.empty()) return Error(ErrorKind::kUsage, "a workload NAME is required");
  const bool bounds = options.min_replicas || options.max_replicas;
  if (options.nodes) {
    if (options.replicas || options.current_replicas || bounds) {
      return Error(ErrorKind::kUsage,
                   "--nodes (an elastic training job's size) cannot be combined with --replicas, --current-replicas "
                   "or --min/--max");
    }
    if (*options.nodes < 1) {
      return Error(ErrorKind::kUsage,
                   fmt::format("--nodes must be 1 or more (within the job's --nodes MIN:MAX), got {}", *options.nodes));
    }
  }
  if (options.wait && !options.nodes) {
    return Error(ErrorKind::kUsage, "--wait follows an elastic training job to its new size: it needs --nodes");
  }
  if (options.wait && options.dry_run != kube::DryRun::kNone) {
    return Error(ErrorKind::kUsage,
                 fmt::format("--wait cannot be combined with --dry-run={}: a dry run changes nothing",
                             kube::DryRunName(options.dry_run)));
  }
  LLM_RETURN_IF_ERROR(ParseOutputFormat(options.output, kScaleOutputs));
  if (!options.resource_version.empty() && !options.replicas) {
    return Error(ErrorKind::kUsage, "--resource-version is a precondition of --replicas: it needs --replicas");
  }
  if (options.wait) LLM_RETURN_IF_ERROR(ParseDuration(options.timeout, "--timeout"));
  if (options.nodes) return Ok();
  if (!options.replicas && !bounds) {
    return Error(ErrorKind::kUsage, "--replicas, or --min/--max for an autoscaled workload, is required");
  }
  if (options.replicas && bounds) {
    return Error(ErrorKind::kUsage, "--replicas cannot be combined with --min/--max");
  }
  if (options.replicas && *options.replicas < 0) {
    return Error(ErrorKind::kUsage, "--replicas must be 0 or more");
  }
  if (options.current_replicas && !options.replicas) {
    return Error(ErrorKind::kUsage, "--current-replicas needs --replicas");
  }
  if (options.current_replicas && *options.current_replicas < 0) {
    return Error(ErrorKind::kUsage, "--current-replicas must be 0 or more");
  }
  if ((options.min_replicas && *options.min_replicas < 0) || (options.max_replicas && *options.max_replicas < 1)) {
    return Error(ErrorKind::kUsage, "--min must be 0 or more and --max 1 or more");
  }
  return Ok();
}

Status RunScale(const ScaleOptions& options, kube::RestClient& client, kube::RestMapper& mapper, const std::string& ns,
                IoStreams streams, const ScaleRecorder* recorder, const ScaleFollow* follow) {
  LLM_RETURN_IF_ERROR(ValidateScaleOptions(options));
  LLM_ASSIGN_OR_RETURN(ManagedWorkload workload, FindManagedWorkload(client, mapper, ns, options.name));
  const std::string& kind = workload.mapping.kind;
  if (options.nodes) return ScaleNodes(options, client, workload, ns, streams, recorder, follow);
  if (const std::optional<ElasticJob> elastic = ReadElasticJob(workload.object)) {
    return Error(ErrorKind::kInvalidInput,
                 fmt::format("{} is an elastic training job: scale it with --nodes K ({} to {})",
                             ResourceName(workload.object), elastic->bounds.min, elastic->bounds.max));
  }
  if (kind == "Job" || kind == "JobSet") {
    return Error(ErrorKind::kInvalidInput,
                 fmt::format("{} is a training job and cannot be scaled: its pods are the ranks of one run with a "
                             "fixed world size; delete it and train again with the new --nodes",
                             ResourceName(workload.object)));
  }
  if (options.replicas) {
    auto scale = [&] { return ScaleReplicas(options, client, workload, ns, streams); };
    if (!recorder) return scale();
    const bool groups = kind == "LeaderWorkerSet";
    return Recorded(*recorder, client, ns, options.name, kind, NameOf(workload.object),
                    {{"replicas", *options.replicas}},
                    fmt::format("Scaled to {} {}", *options.replicas, groups ? "groups" : "replicas"), scale, streams);
  }
  LLM_ASSIGN_OR_RETURN(BoundsChange change, PlanBounds(options, client, mapper, workload, ns));
  auto scale = [&] { return ScaleBounds(change, options, client, streams); };
  if (!recorder) return scale();
  const Autoscaler& autoscaler = change.autoscaler;
  return Recorded(*recorder, client, ns, options.name, StringAt(autoscaler.object, {"kind"}), autoscaler.ref.name,
                  change.spec,
                  fmt::format("Autoscaler bounds {}..{}", change.spec[autoscaler.min_field].get<int64_t>(),
                              change.spec[autoscaler.max_field].get<int64_t>()),
                  scale, streams);
}

constexpr kube::DryRun kScaleDryRuns[] = {kube::DryRun::kNone, kube::DryRun::kClient, kube::DryRun::kServer};

void SetupScaleCommand(CLI::App* cmd, CommandContext& ctx) {
  auto options = std::make_shared<ScaleOptions>();
  auto dry_run = std::make_shared<std::string>();
  cmd->add_option("NAME", options->name, "The workload's name (as given to serve)");
  cmd->add_option("--replicas", options->replicas, "The new number of replicas (LeaderWorkerSet: groups)");
  cmd->add_option("--current-replicas", options->current_replicas,
                  "Precondition: scale only if the current replicas are this many");
  cmd->add_option("--min", options->min_replicas, "The autoscaler's new minimum replicas");
  cmd->add_option("--max", options->max_replicas, "The autoscaler's new maximum replicas");
  cmd->add_option("--nodes", options->nodes,
                  "An elastic training job's new size, within the MIN:MAX it was trained with (train --nodes MIN:MAX)");
  cmd->add_flag("--wait", options->wait,
                "With --nodes: follow the job until it runs them, showing each rendezvous round; a new pod that "
                "cannot be placed ends the wait with why");
  cmd->add_option("--timeout", options->timeout, "How long --wait waits (e.g. 30s, 10m)");
  cmd->add_option("--resource-version", options->resource_version,
                  "Precondition: scale only if the scale's resourceVersion is this one (with --replicas)");
  AddOutputFlag(cmd, options->output, kScaleOutputs, "kubectl scale's line");
  AddDryRunFlag(cmd, *dry_run, kScaleDryRuns,
                "client prints what would change, server asks the server to check the change without making it");
  cmd->callback([options, dry_run, &ctx] {
    auto strategy = kube::ParseDryRun(*dry_run, kScaleDryRuns);
    if (!strategy.ok()) return ctx.Finish(strategy.error());
    options->dry_run = *strategy;
    if (Status valid = ValidateScaleOptions(*options); !valid.ok()) return ctx.Finish(valid);
    auto session = ClusterSession::Open(ctx.global.kube, ctx.streams);
    if (!session.ok()) return ctx.Finish(session.error());
    ClusterSession& cluster = **session;
    if (options->dry_run != kube::DryRun::kNone) {
      return ctx.Finish(RunScale(*options, cluster.client(), cluster.mapper(), cluster.ns(), ctx.streams));
    }
    // A scale that changes the cluster is a revision of the workload, by whoever ran it.
    auto caller = IdentifyCaller(cluster, ctx.global.kube, ctx.global.args, ctx.streams);
    if (!caller.ok()) return ctx.Finish(caller.error());
    const ScaleRecorder recorder{*caller, cluster.clock()};
    StreamTerminal terminal(ctx.streams.out, /*interactive=*/false);
    const ScaleFollow follow{cluster.clock(), terminal, ctx.error_exit_code};
    ctx.Finish(RunScale(*options, cluster.client(), cluster.mapper(), cluster.ns(), ctx.streams, &recorder, &follow));
  });
}

}  // namespace llm

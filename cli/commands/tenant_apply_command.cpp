// tenant init and tenant create: render the cluster-wide pieces or one
// tenant's, and apply them as one ApplySet in kubectl-llm-system.
#include <memory>

#include <fmt/format.h>

#include "commands/cluster_session.h"
#include "commands/command_flags.h"
#include "commands/managed_workloads.h"
#include "commands/tenant_cluster.h"
#include "commands/tenant_command.h"
#include "kube/object_fields.h"
#include "kube/resource_ref.h"
#include "kube/well_known_names.h"
#include "output/object_printer.h"
#include "render/manifest_printer.h"
#include "tenant/tenant_names.h"
#include "tenant/tenant_objects.h"
#include "util/yaml_document.h"

namespace llm {
namespace {

using nlohmann::json;
using namespace tenant;  // NOLINT: this file is a tenant verb

/// "v1.35" for a v1.35.4 server: the Pod Security standards' version the
/// namespace pins (so an upgrade of the cluster does not tighten them unseen).
std::string PodSecurityVersion(kube::RestClient& client) {
  kube::HttpRequest request;
  request.path = "/version";
  auto response = client.Do(std::move(request));
  if (!response.ok()) return "latest";
  json doc = json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return "latest";
  const std::string major = doc.value("major", "");
  std::string minor = doc.value("minor", "");
  while (!minor.empty() && (minor.back() < '0' || minor.back() > '9')) minor.pop_back();  // "35+" on some clouds
  if (major.empty() || minor.empty()) return "latest";
  return "v" + major + "." + minor;
}

/// Applies a tenant's (or init's) set and prints it as serve does.
Status ApplySet(ClusterSession& session, const std::vector<Json>& objects, const std::string& set_name,
                const TenantApplyOptions& options, IoStreams streams) {
  LLM_ASSIGN_OR_RETURN(OutputSpec output, ParseOutputFormat(options.output, kTenantApplyOutputs));
  LLM_ASSIGN_OR_RETURN(kube::DryRun strategy, kube::ParseDryRun(options.dry_run, kTenantApplyDryRuns));
  const bool structured = !output.is_table();
  if (strategy == kube::DryRun::kClient) {
    if (structured) {
      LLM_ASSIGN_OR_RETURN(std::string text, FormatManifests(objects, output));
      streams.out << text;
      return Ok();
    }
    for (const Json& object : objects) streams.out << ResourceName(json(object)) << " created (dry run)\n";
    return Ok();
  }
  const bool dry_run = strategy == kube::DryRun::kServer;
  kube::ApplierOptions applier = WorkloadApplierOptions(std::string(kSystemNamespace), dry_run);
  applier.force_fields.clear();
  std::vector<json> members = ToApiObjects(objects);
  LLM_ASSIGN_OR_RETURN(kube::ApplyOutcome outcome,
                       session.applier().Apply(members, {set_name, std::string(kSystemNamespace)}, applier));
  if (structured) {
    std::vector<json> applied;
    for (const kube::ObjectResult& result : outcome.results) {
      if (result.action != kube::ApplyAction::kPruned && result.action != kube::ApplyAction::kKept) {
        applied.push_back(result.object);
      }
    }
    auto text = FormatObjectList(applied, output);
    if (!text.ok()) return text.error().WithContext("the objects were applied, but printing them failed");
    streams.out << *text;
  } else {
    for (const kube::ObjectResult& result : outcome.results) streams.out << kube::FormatResult(result, dry_run) << "\n";
  }
  if (!outcome.errors.empty()) {
    return outcome.errors.front().WithContext(
        fmt::format("{} of {} objects failed to apply; nothing was pruned", outcome.errors.size(), members.size()));
  }
  return Ok();
}

}  // namespace

Status ValidateTenantApplyOptions(const TenantApplyOptions& options) {
  LLM_RETURN_IF_ERROR(kube::ParseDryRun(options.dry_run, kTenantApplyDryRuns));
  LLM_RETURN_IF_ERROR(ParseOutputFormat(options.output, kTenantApplyOutputs));
  return Ok();
}

Status RunTenantInit(const TenantApplyOptions& options, ClusterSession& session, IoStreams streams) {
  LLM_RETURN_IF_ERROR(ValidateTenantApplyOptions(options));
  InitPlan plan;
  LLM_ASSIGN_OR_RETURN(plan.kueue, ReadKueueFacts(session.mapper()));
  if (plan.kueue.served) {
    auto nodes = session.client().List(kube::core::Nodes(), {});
    if (!nodes.ok()) return nodes.error().WithContext("reading the nodes' GPU products for Kueue's ResourceFlavors");
    plan.flavors = GpuFlavorsFromNodes(*nodes);
    if (plan.flavors.empty()) {
      streams.err << "Warning: no node is labelled " << kGpuProductLabel
                  << ", so no GPU ResourceFlavor is made; run `kubectl llm tenant init` again once GPU nodes join\n";
    }
  } else {
    streams.err << "Note: Kueue is not served (no kueue.x-k8s.io ClusterQueue), so there are no ResourceFlavors or "
                   "cohort, and tenants get no queues\n";
  }
  std::unique_ptr<TemplateSource> templates = EmbeddedTemplateSource();
  LLM_ASSIGN_OR_RETURN(std::vector<Json> objects, RenderInitObjects(plan, *templates));
  return ApplySet(session, objects, std::string(kInitSetName), options, streams);
}

Status RunTenantCreate(const TenantFlags& flags, const TenantApplyOptions& options, ClusterSession& session,
                       IoStreams streams) {
  LLM_RETURN_IF_ERROR(ValidateTenantApplyOptions(options));
  TenantPlan plan;
  LLM_ASSIGN_OR_RETURN(plan.config, BuildTenantConfig(flags));
  const TenantConfig& c = plan.config;
  kube::RestClient& client = session.client();
  auto system = client.Get(kube::core::Namespaces(std::string(kSystemNamespace)));
  if (!system.ok()) {
    if (system.error().kind() != ErrorKind::kNotFound) return system.error();
    return Error(ErrorKind::kInvalidInput,
                 fmt::format("run `kubectl llm tenant init` first: it makes the cluster-wide pieces (PriorityClasses, "
                             "Kueue's ResourceFlavors and cohort) and namespace {}, where tenants are recorded",
                             kSystemNamespace));
  }
  if (auto existing = client.Get(kube::core::Namespaces(c.team)); existing.ok()) {
    if (LabelOf(*existing, kTenantLabel) != c.team) {
      return Error(ErrorKind::kInvalidInput,
                   fmt::format("namespace \"{}\" already exists and is not a tenant's: tenant create makes the "
                               "namespace itself (pick another TEAM, or delete that namespace first)",
                               c.team));
    }
  }
  LLM_ASSIGN_OR_RETURN(plan.kueue, ReadKueueFacts(session.mapper()));
  if (plan.kueue.served) {
    LLM_ASSIGN_OR_RETURN(kube::ResourceRef flavors_ref, KueueRef(session.mapper(), "ResourceFlavor"));
    LLM_ASSIGN_OR_RETURN(json flavors, client.List(flavors_ref, {}));
    plan.flavors = GpuFlavorsFromResourceFlavors(flavors);
  }
  plan.pod_security_version = PodSecurityVersion(client);
  // Warnings only: quotas may oversubscribe, and nodes may still join.
  if (auto nodes = client.List(kube::core::Nodes(), {}); nodes.ok()) {
    int64_t total = 0, largest = 0;
    for (const GpuFlavor& flavor : GpuFlavorsFromNodes(*nodes)) {
      total += flavor.gpus;
      largest = std::max(largest, flavor.largest_node);
    }
    if (c.max_gpus_per_pod && *c.max_gpus_per_pod > largest) {
      streams.err << fmt::format(
          "Warning: --max-gpus-per-pod {} is more than the largest GPU node has ({}): no single "
          "pod can get that many\n",
          *c.max_gpus_per_pod, largest);
    }
    if (c.gpus > total) {
      streams.err << fmt::format(
          "Warning: --gpus {} is more than the cluster's {} GPUs (quotas may oversubscribe; "
          "pods beyond what the nodes hold will wait)\n",
          c.gpus, total);
    }
  }
  if (c.priority != nullptr) {
    auto found =
        client.Get({"scheduling.k8s.io", "v1", "priorityclasses", "", std::string(c.priority->priority_class), ""});
    if (!found.ok() && found.error().kind() == ErrorKind::kNotFound) {
      return Error(ErrorKind::kInvalidInput, fmt::format("PriorityClass \"{}\" does not exist: run `kubectl llm tenant "
                                                         "init` again",
                                                         c.priority->priority_class));
    }
  }
  if (!plan.kueue.served) {
    streams.err << "Note: Kueue is not served, so the tenant gets no ClusterQueue or LocalQueue\n";
  }
  std::unique_ptr<TemplateSource> templates = EmbeddedTemplateSource();
  LLM_ASSIGN_OR_RETURN(std::vector<Json> objects, RenderTenantObjects(plan, *templates));
  return ApplySet(session, objects, TenantSetName(c.team), options, streams);
}

}  // namespace llm

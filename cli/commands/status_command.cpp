#include "commands/status_command.h"

#include <map>
#include <memory>
#include <optional>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "commands/cluster_session.h"
#include "commands/command_flags.h"
#include "commands/managed_workloads.h"
#include "kube/object_fields.h"
#include "output/object_printer.h"
#include "workload/workload_status.h"

namespace llm {
namespace {

std::map<std::string, nlohmann::json> GroupByNamespace(std::vector<nlohmann::json> objects) {
  std::map<std::string, nlohmann::json> grouped;
  for (nlohmann::json& object : objects) {
    auto [it, inserted] = grouped.try_emplace(NamespaceOf(object), nlohmann::json::array());
    it->second.push_back(std::move(object));
  }
  return grouped;
}

/// The namespace's (or every namespace's) Services of this tool, grouped by
/// namespace: a workload's endpoint is found among its own namespace's only.
kube::PlannedRead ServicesRead(const std::string& ns) {
  kube::ListOptions options;
  options.label_selector = ManagedBySelector();
  return kube::PlannedRead::List(kube::core::Services(ns), std::move(options));
}

Result<std::map<std::string, nlohmann::json>> ServicesByNamespace(kube::RestClient& client, const std::string& ns) {
  const kube::PlannedRead read = ServicesRead(ns);
  auto list = client.List(read.ref, read.list);
  if (!list.ok()) return list.error();
  return GroupByNamespace((*list)["items"].get<std::vector<nlohmann::json>>());
}

/// KEDA's ScaledObjects in `ns`, where KEDA is installed.
Result<std::optional<kube::ResourceRef>> ScaledObjects(kube::RestMapper& mapper, const std::string& ns) {
  const kube::GroupKind kind{"keda.sh", "ScaledObject"};
  LLM_ASSIGN_OR_RETURN(bool served, mapper.HasGroupKind(kind));
  if (!served) return std::optional<kube::ResourceRef>();
  LLM_ASSIGN_OR_RETURN(kube::RestMapping mapping, mapper.MapGroupKind(kind));
  mapping.resource.ns = ns;
  return std::optional<kube::ResourceRef>(mapping.resource);
}

kube::ListOptions ManagedByOptions() {
  kube::ListOptions options;
  options.label_selector = ManagedBySelector();
  return options;
}

/// The HorizontalPodAutoscalers of `ns` (every namespace for ""): ours, and
/// those KEDA makes for ScaledObjects. Not being allowed to list them leaves
/// the autoscaler columns empty; it does not fail status.
kube::PlannedRead AutoscalersRead(const std::string& ns) {
  return kube::PlannedRead::List({"autoscaling", "v2", "horizontalpodautoscalers", ns, "", ""}, {});
}

Result<nlohmann::json> ListAutoscalers(kube::RestClient& client, kube::RestMapper& mapper, const std::string& ns) {
  const kube::PlannedRead read = AutoscalersRead(ns);
  auto list = client.List(read.ref, read.list);
  if (!list.ok() && list.error().kind() == ErrorKind::kForbidden) return nlohmann::json::array();
  if (!list.ok() || !AnyMadeByKeda(*list)) return list;
  // The bounds the user set are the ScaledObjects' (one more request, for KEDA users only).
  LLM_ASSIGN_OR_RETURN(std::optional<kube::ResourceRef> scaled_objects, ScaledObjects(mapper, ns));
  if (!scaled_objects) return list;
  auto owners = client.List(*scaled_objects, ManagedByOptions());
  if (!owners.ok() && owners.error().kind() == ErrorKind::kForbidden) return list;
  LLM_RETURN_IF_ERROR(owners);
  return WithScaledObjectBounds(std::move(*list), *owners);
}

constexpr OutputFormat kStatusOutputs[] = {OutputFormat::kTable, OutputFormat::kWide, OutputFormat::kJson,
                                           OutputFormat::kYaml};

/// What the server can filter workloads on.
constexpr std::string_view kWorkloadFields =
    "metadata.name, metadata.namespace (Jobs also status.successful); a field one served kind lacks is an error";

void AddCommonFlags(CLI::App* cmd, StatusOptions& options) {
  AddOutputFlag(cmd, options.output, kStatusOutputs);
  cmd->add_flag("-A,--all-namespaces", options.all_namespaces, "List workloads in every namespace");
  AddListingFlags(cmd, options.listing, "workloads", kWorkloadFields);
}

void RunFromContext(const StatusOptions& options, CommandContext& ctx) {
  if (auto plan = ValidateStatusOptions(options); !plan.ok()) return ctx.Finish(plan.error());
  auto session = ClusterSession::Open(ctx.global.kube, ctx.streams);
  if (!session.ok()) return ctx.Finish(session.error());
  std::optional<CommandLineWatchEnv> watch;
  if (options.listing.watch || options.listing.watch_only) watch.emplace(ctx.streams);
  StatusTarget target{(*session)->client(), (*session)->mapper(), (*session)->ns(), std::chrono::system_clock::now(),
                      watch ? &watch->env() : nullptr};
  ctx.Finish(RunStatus(options, target, ctx.streams));
  if (ctx.status.ok() && watch) ctx.exit_code = watch->stopped_exit_code();
}

std::string NoResourcesMessage(const std::string& ns) {
  return ns.empty() ? std::string("No resources found\n") : fmt::format("No resources found in {} namespace.\n", ns);
}

/// The rows and their listing (objects, keys, -o json document).
struct StatusListing {
  std::vector<WorkloadStatus> rows;
  Listing listing;
};

/// One place turns workloads, Services and autoscalers into rows, for the
/// one-shot listing and for every change a watch sees.
StatusListing BuildStatusListing(std::vector<ManagedWorkload> workloads,
                                 const std::map<std::string, nlohmann::json>& services,
                                 const nlohmann::json& autoscalers, std::chrono::system_clock::time_point now,
                                 bool all_namespaces) {
  StatusListing out;
  out.rows.reserve(workloads.size());
  const nlohmann::json no_services = nlohmann::json::array();
  for (ManagedWorkload& w : workloads) {
    auto it = services.find(w.object["metadata"].value("namespace", ""));
    out.rows.push_back(SummarizeWorkload(w.object, it == services.end() ? no_services : it->second));
    out.rows.back().autoscaler = FindAutoscaler(autoscalers, NamespaceOf(w.object), w.mapping.kind, NameOf(w.object));
    out.listing.keys.push_back(fmt::format("{}/{}/{}", NamespaceOf(w.object), w.mapping.kind, NameOf(w.object)));
    out.listing.objects.push_back(std::move(w.object));
  }
  out.listing.table = WorkloadStatusTable(out.rows, now, all_namespaces);
  out.listing.document = WorkloadStatusListJson(out.rows);
  return out;
}

/// -w: the served workload kinds, the tool's Services and (where the user
/// may list them) the autoscalers, each watched from its list.
Status WatchStatus(const StatusOptions& options, const StatusPlan& plan, const StatusTarget& target,
                   const std::string& ns) {
  LLM_ASSIGN_OR_RETURN(std::vector<kube::RestMapping> mappings, ServedWorkloadMappings(target.mapper));
  ListingWatch watch;
  for (const kube::RestMapping& mapping : mappings) {
    kube::ResourceRef ref = mapping.resource;
    ref.ns = ns;
    watch.collections.push_back(
        {ref, ManagedWorkloadSelector(options.name, plan.listing.label_selector), plan.listing.field_selector, {}});
  }
  watch.collections.push_back({kube::core::Services(ns), ManagedBySelector(), "", {}});
  const kube::ResourceRef autoscalers{"autoscaling", "v2", "horizontalpodautoscalers", ns, "", ""};
  kube::ListOptions probe;
  probe.limit = 1;
  auto allowed = target.client.List(autoscalers, probe);
  const bool watch_autoscalers = allowed.ok();
  if (!allowed.ok() && allowed.error().kind() != ErrorKind::kForbidden) return allowed.error();
  if (watch_autoscalers) watch.collections.push_back({autoscalers, "", "", {}});
  // The ScaledObjects too, for the bounds of the HPAs KEDA makes (as without -w).
  std::optional<kube::ResourceRef> scaled_objects;
  if (watch_autoscalers) {
    LLM_ASSIGN_OR_RETURN(scaled_objects, ScaledObjects(target.mapper, ns));
    if (scaled_objects && !target.client.List(*scaled_objects, probe).ok()) scaled_objects.reset();
    if (scaled_objects) watch.collections.push_back({*scaled_objects, ManagedBySelector(), "", {}});
  }
  const size_t kinds = mappings.size();
  watch.listing = [mappings, kinds, watch_autoscalers, watch_scaled_objects = scaled_objects.has_value(),
                   all_namespaces = options.all_namespaces](
                      const WatchedObjects& objects, std::chrono::system_clock::time_point now) -> Result<Listing> {
    std::vector<ManagedWorkload> workloads;
    for (size_t i = 0; i < kinds; ++i) {
      for (const auto& [key, object] : objects[i]) {
        if (auto workload = AsManagedWorkload(object, mappings[i])) workloads.push_back(std::move(*workload));
      }
    }
    SortManagedWorkloads(workloads);
    std::vector<nlohmann::json> services;
    for (const auto& [key, service] : objects[kinds]) services.push_back(service);
    nlohmann::json hpas = nlohmann::json::array();
    if (watch_autoscalers) {
      for (const auto& [key, hpa] : objects[kinds + 1]) hpas.push_back(hpa);
    }
    if (watch_scaled_objects) {
      nlohmann::json owners = nlohmann::json::array();
      for (const auto& [key, scaled_object] : objects[kinds + 2]) owners.push_back(scaled_object);
      hpas = WithScaledObjectBounds(std::move(hpas), owners);
    }
    return BuildStatusListing(std::move(workloads), GroupByNamespace(std::move(services)), hpas, now, all_namespaces)
        .listing;
  };
  if (!options.name.empty()) {
    watch.check_first = [name = options.name, ns](const Listing& first) -> Status {
      if (first.table.row_count() == 0) return NoWorkloadError(name, ns);
      return Ok();
    };
  } else {
    watch.empty_message = NoResourcesMessage(ns);
  }
  return RunListingWatch(target.client, watch, plan.listing, plan.output, *target.watch);
}

}  // namespace

Result<StatusPlan> ValidateStatusOptions(const StatusOptions& options) {
  if (options.all_namespaces && !options.name.empty()) {
    return Error(ErrorKind::kUsage, "a workload NAME cannot be given with --all-namespaces (-A)");
  }
  StatusPlan plan;
  LLM_ASSIGN_OR_RETURN(plan.output, ParseOutputFormat(options.output, kStatusOutputs));
  LLM_ASSIGN_OR_RETURN(plan.listing, ParseListingFlags(options.listing, plan.output));
  return plan;
}

Status RunStatus(const StatusOptions& options, const StatusTarget& target, IoStreams streams) {
  LLM_ASSIGN_OR_RETURN(const StatusPlan plan, ValidateStatusOptions(options));
  const std::string ns = options.all_namespaces ? "" : target.ns;
  if (plan.listing.watch) {
    if (target.watch == nullptr) return Error(ErrorKind::kInternal, "status -w needs a terminal to print to");
    return WatchStatus(options, plan, target, ns);
  }
  const WorkloadFilter filter{plan.listing.label_selector, plan.listing.field_selector};
  LLM_ASSIGN_OR_RETURN(
      std::vector<ManagedWorkload> workloads,
      ListManagedWorkloads(target.client, target.mapper, ns, options.name, ManagedWorkloadKinds(), filter));
  if (!options.name.empty() && workloads.empty()) {
    return NoWorkloadError(options.name, ns);
  }
  std::map<std::string, nlohmann::json> services;
  nlohmann::json autoscalers = nlohmann::json::array();
  if (!workloads.empty()) {
    target.client.Prefetch({ServicesRead(ns), AutoscalersRead(ns)});  // one round trip for both
    LLM_ASSIGN_OR_RETURN(services, ServicesByNamespace(target.client, ns));
    LLM_ASSIGN_OR_RETURN(autoscalers, ListAutoscalers(target.client, target.mapper, ns));
  }
  StatusListing built =
      BuildStatusListing(std::move(workloads), services, autoscalers, target.now, options.all_namespaces);
  if (plan.output.is_table() && built.rows.empty()) {
    streams.err << NoResourcesMessage(ns);
    return Ok();
  }
  LLM_ASSIGN_OR_RETURN(std::string text, RenderListing(std::move(built.listing), plan.listing.print, plan.output));
  streams.out << text;
  if (!plan.output.is_table()) return Ok();
  for (const WorkloadStatus& row : built.rows) {
    if (row.autoscaler && !row.autoscaler->problem.empty()) {
      streams.err << fmt::format("Warning: {}/{} is not autoscaled: HorizontalPodAutoscaler {} says {}\n",
                                 row.namespace_, row.name, row.autoscaler->name, row.autoscaler->problem);
    }
  }
  return Ok();
}

void SetupStatusCommand(CLI::App* cmd, CommandContext& ctx) {
  auto options = std::make_shared<StatusOptions>();
  cmd->add_option("NAME", options->name, "The workload's name (as given to serve or train)");
  AddCommonFlags(cmd, *options);
  cmd->callback([options, &ctx] { RunFromContext(*options, ctx); });
}

void SetupListCommand(CLI::App* cmd, CommandContext& ctx) {
  auto options = std::make_shared<StatusOptions>();
  AddCommonFlags(cmd, *options);
  cmd->callback([options, &ctx] { RunFromContext(*options, ctx); });
}

}  // namespace llm

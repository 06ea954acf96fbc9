#include "commands/status_command.h"

#include <map>
#include <memory>

#include <fmt/format.h>

#include "commands/cluster_session.h"
#include "commands/command_flags.h"
#include "commands/managed_workloads.h"
#include "kube/object_fields.h"
#include "output/object_printer.h"
#include "workload/workload_status.h"

namespace llm {
namespace {

/// The namespace's (or every namespace's) Services of this tool, grouped by
/// namespace: a workload's endpoint is found among its own namespace's only.
Result<std::map<std::string, nlohmann::json>> ServicesByNamespace(kube::RestClient& client, const std::string& ns) {
  kube::ResourceRef ref = kube::core::Services(ns);
  kube::ListOptions options;
  options.label_selector = ManagedBySelector();
  auto list = client.List(ref, options);
  if (!list.ok()) return list.error();
  std::map<std::string, nlohmann::json> grouped;
  for (nlohmann::json& service : (*list)["items"]) {
    std::string service_ns = service["metadata"].value("namespace", "");
    auto [it, inserted] = grouped.try_emplace(service_ns, nlohmann::json::array());
    it->second.push_back(std::move(service));
  }
  return grouped;
}

/// The HorizontalPodAutoscalers of `ns` (every namespace for ""): ours, and
/// those KEDA makes for ScaledObjects. Not being allowed to list them leaves
/// the autoscaler columns empty; it does not fail status.
Result<nlohmann::json> ListAutoscalers(kube::RestClient& client, const std::string& ns) {
  auto list = client.List({"autoscaling", "v2", "horizontalpodautoscalers", ns, "", ""}, kube::ListOptions{});
  if (!list.ok() && list.error().kind() == ErrorKind::kForbidden) return nlohmann::json::array();
  return list;
}

constexpr OutputFormat kStatusOutputs[] = {OutputFormat::kTable, OutputFormat::kWide, OutputFormat::kJson,
                                           OutputFormat::kYaml};

void AddCommonFlags(CLI::App* cmd, StatusOptions& options) {
  AddOutputFlag(cmd, options.output, kStatusOutputs);
  cmd->add_flag("-A,--all-namespaces", options.all_namespaces, "List workloads in every namespace");
  cmd->add_flag("--no-headers", options.no_headers, "Print the table without its header line");
}

void RunFromContext(const StatusOptions& options, CommandContext& ctx) {
  auto session = ClusterSession::Open(ctx.global.kube, ctx.streams);
  if (!session.ok()) return ctx.Finish(session.error());
  StatusTarget target{(*session)->client(), (*session)->mapper(), (*session)->ns(), std::chrono::system_clock::now()};
  ctx.Finish(RunStatus(options, target, ctx.streams));
}

}  // namespace

Result<OutputSpec> ValidateStatusOptions(const StatusOptions& options) {
  if (options.all_namespaces && !options.name.empty()) {
    return Error(ErrorKind::kUsage, "a workload NAME cannot be given with --all-namespaces (-A)");
  }
  return ParseOutputFormat(options.output, kStatusOutputs);
}

Status RunStatus(const StatusOptions& options, const StatusTarget& target, IoStreams streams) {
  LLM_ASSIGN_OR_RETURN(OutputSpec output, ValidateStatusOptions(options));
  const std::string ns = options.all_namespaces ? "" : target.ns;
  LLM_ASSIGN_OR_RETURN(std::vector<ManagedWorkload> workloads,
                       ListManagedWorkloads(target.client, target.mapper, ns, options.name));
  if (!options.name.empty() && workloads.empty()) {
    return NoWorkloadError(options.name, ns);
  }
  std::map<std::string, nlohmann::json> services;
  nlohmann::json autoscalers = nlohmann::json::array();
  if (!workloads.empty()) {
    LLM_ASSIGN_OR_RETURN(services, ServicesByNamespace(target.client, ns));
    LLM_ASSIGN_OR_RETURN(autoscalers, ListAutoscalers(target.client, ns));
  }
  std::vector<WorkloadStatus> rows;
  rows.reserve(workloads.size());
  const nlohmann::json no_services = nlohmann::json::array();
  for (const ManagedWorkload& w : workloads) {
    auto it = services.find(w.object["metadata"].value("namespace", ""));
    rows.push_back(SummarizeWorkload(w.object, it == services.end() ? no_services : it->second));
    rows.back().autoscaler = FindAutoscaler(autoscalers, NamespaceOf(w.object), w.mapping.kind, NameOf(w.object));
  }
  if (!output.is_table()) {
    LLM_ASSIGN_OR_RETURN(std::string text, FormatDocument(WorkloadStatusListJson(rows), output, options.no_headers));
    streams.out << text;
    return Ok();
  }
  if (rows.empty()) {
    streams.err << (options.all_namespaces ? std::string("No resources found\n")
                                           : fmt::format("No resources found in {} namespace.\n", ns));
    return Ok();
  }
  streams.out << WorkloadStatusTable(rows, target.now, options.all_namespaces)
                     .Render(output.format == OutputFormat::kWide, options.no_headers);
  for (const WorkloadStatus& row : rows) {
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

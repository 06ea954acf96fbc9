#include "commands/nodes_command.h"

#include <algorithm>
#include <memory>
#include <set>

#include "commands/cluster_session.h"
#include "commands/command_flags.h"
#include "kube/client_factory.h"
#include "kube/paged_list.h"
#include "output/object_printer.h"
#include "workload/gpu_nodes.h"

namespace llm {
namespace {

nlohmann::json ResourcesOnly(const nlohmann::json& containers, bool keep_restart_policy) {
  nlohmann::json out = nlohmann::json::array();
  if (!containers.is_array()) return out;
  for (const nlohmann::json& c : containers) {
    nlohmann::json kept = nlohmann::json::object();
    if (c.contains("resources")) kept["resources"] = c["resources"];
    if (keep_restart_policy && c.contains("restartPolicy")) kept["restartPolicy"] = c["restartPolicy"];
    out.push_back(std::move(kept));
  }
  return out;
}

nlohmann::json ReducePod(const nlohmann::json& pod) {
  const nlohmann::json& spec = pod["spec"];
  nlohmann::json reduced_spec = {{"nodeName", spec.value("nodeName", "")}};
  if (spec.contains("containers"))
    reduced_spec["containers"] = ResourcesOnly(spec["containers"], /*keep_restart_policy=*/false);
  if (spec.contains("initContainers"))
    reduced_spec["initContainers"] = ResourcesOnly(spec["initContainers"], /*keep_restart_policy=*/true);
  if (spec.contains("overhead")) reduced_spec["overhead"] = spec["overhead"];
  nlohmann::json reduced = {{"spec", std::move(reduced_spec)}};
  if (pod.contains("status") && pod["status"].is_object()) {
    reduced["status"] = {{"phase", pod["status"].value("phase", "")}};
  }
  return reduced;
}

}  // namespace

constexpr OutputFormat kNodesOutputs[] = {OutputFormat::kTable, OutputFormat::kWide, OutputFormat::kJson,
                                          OutputFormat::kYaml};

Result<OutputSpec> ValidateNodesCommandOptions(const NodesOptions& options) {
  return ParseOutputFormat(options.output, kNodesOutputs);
}

Result<nlohmann::json> ListGpuPods(kube::RestClient& client, const std::vector<std::string>& gpu_nodes) {
  nlohmann::json pods = nlohmann::json::array();
  if (gpu_nodes.empty()) return pods;
  const std::set<std::string, std::less<>> wanted(gpu_nodes.begin(), gpu_nodes.end());
  kube::ResourceRef ref = kube::core::Pods();
  kube::ListOptions options;
  // Terminal pods hold nothing; the server drops them before they are sent.
  options.field_selector = "status.phase!=Succeeded,status.phase!=Failed";
  Status listed = kube::ForEachListPage(client, ref, options, [&](nlohmann::json& page) -> Status {
    for (const nlohmann::json& pod : page["items"]) {
      if (!pod.is_object() || !pod.contains("spec") || !pod["spec"].is_object()) continue;
      if (!wanted.contains(pod["spec"].value("nodeName", ""))) continue;
      pods.push_back(ReducePod(pod));
    }
    return Ok();
  });
  if (!listed.ok()) return listed.error();
  return pods;
}

Status RunNodes(const NodesOptions& options, kube::RestClient& client, std::chrono::system_clock::time_point now,
                IoStreams streams) {
  LLM_ASSIGN_OR_RETURN(OutputSpec output, ValidateNodesCommandOptions(options));
  kube::ResourceRef ref = kube::core::Nodes();
  kube::ListOptions list_options;
  list_options.label_selector = options.selector;
  auto nodes = client.List(ref, list_options);
  if (!nodes.ok()) return nodes.error();  // kubectl's "nodes is forbidden: ..." as is
  // Which nodes are GPU nodes is ListGpuNodes' rule; ask it first without pods.
  std::vector<std::string> names;
  for (const GpuNodeRow& row : ListGpuNodes(*nodes, nlohmann::json::array(), now)) names.push_back(row.name);
  LLM_ASSIGN_OR_RETURN(nlohmann::json pods, ListGpuPods(client, names));
  std::vector<GpuNodeRow> rows = ListGpuNodes(*nodes, pods, now);
  if (!output.is_table()) {
    LLM_ASSIGN_OR_RETURN(std::string text, FormatDocument(GpuNodeListJson(rows), output, options.no_headers));
    streams.out << text;
    return Ok();
  }
  if (rows.empty()) {
    streams.err << "No GPU nodes found (no node has nvidia.com/gpu or an nvidia.com/gpu.product label).\n";
    return Ok();
  }
  streams.out << GpuNodesTable(rows).Render(output.format == OutputFormat::kWide, options.no_headers);
  return Ok();
}

void SetupNodesCommand(CLI::App* cmd, CommandContext& ctx) {
  auto options = std::make_shared<NodesOptions>();
  AddOutputFlag(cmd, options->output, kNodesOutputs);
  cmd->add_option("-l,--selector", options->selector, "Only nodes matching this label selector");
  cmd->add_flag("--no-headers", options->no_headers, "Print the table without its header line");
  cmd->callback([options, &ctx] {
    auto session = ClusterSession::Open(ctx.global.kube, ctx.streams);
    if (!session.ok()) return ctx.Finish(session.error());
    ctx.Finish(RunNodes(*options, (*session)->client(), std::chrono::system_clock::now(), ctx.streams));
  });
}

}  // namespace llm

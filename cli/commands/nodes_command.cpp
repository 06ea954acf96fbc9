#include "commands/nodes_command.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include <CLI/CLI.hpp>

#include "commands/cluster_session.h"
#include "commands/command_flags.h"
#include "kube/client_factory.h"
#include "kube/object_fields.h"
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

namespace {

/// Terminal pods hold nothing; the server drops them before they are sent.
constexpr char kHoldingPods[] = "status.phase!=Succeeded,status.phase!=Failed";
constexpr char kNoGpuNodes[] = "No GPU nodes found (no node has nvidia.com/gpu or an nvidia.com/gpu.product label).\n";

/// The rows of `nodes` (a List or an array) with `pods` on them, and the node
/// object of each row: one place for the one-shot listing and the watch.
Listing NodesListing(const nlohmann::json& nodes, const nlohmann::json& pods,
                     std::chrono::system_clock::time_point now) {
  std::vector<GpuNodeRow> rows = ListGpuNodes(nodes, pods, now);
  std::map<std::string, const nlohmann::json*, std::less<>> by_name;
  const nlohmann::json& items = nodes.is_object() && nodes.contains("items") ? nodes["items"] : nodes;
  for (const nlohmann::json& node : items) by_name[NameOf(node)] = &node;
  Listing listing;
  for (const GpuNodeRow& row : rows) {
    auto it = by_name.find(row.name);
    listing.objects.push_back(it == by_name.end() ? nlohmann::json::object() : *it->second);
    listing.keys.push_back(row.name);
  }
  listing.table = GpuNodesTable(rows);
  listing.document = GpuNodeListJson(rows);
  return listing;
}

Status WatchNodes(const NodesPlan& plan, kube::RestClient& client, const ListingWatchEnv& env) {
  ListingWatch watch;
  watch.collections.push_back({kube::core::Nodes(), plan.listing.label_selector, plan.listing.field_selector, {}});
  watch.collections.push_back({kube::core::Pods(), "", kHoldingPods, &ReducePod});
  watch.listing = [](const WatchedObjects& objects, std::chrono::system_clock::time_point now) -> Result<Listing> {
    nlohmann::json nodes = nlohmann::json::array();
    for (const auto& [key, node] : objects[0]) nodes.push_back(node);
    nlohmann::json pods = nlohmann::json::array();
    for (const auto& [key, pod] : objects[1]) pods.push_back(pod);
    return NodesListing(nodes, pods, now);
  };
  watch.empty_message = kNoGpuNodes;
  return RunListingWatch(client, watch, plan.listing, plan.output, env);
}

}  // namespace

Result<NodesPlan> ValidateNodesCommandOptions(const NodesOptions& options) {
  NodesPlan plan;
  LLM_ASSIGN_OR_RETURN(plan.output, ParseOutputFormat(options.output, kNodesOutputs));
  LLM_ASSIGN_OR_RETURN(plan.listing, ParseListingFlags(options.listing, plan.output));
  return plan;
}

Result<nlohmann::json> ListGpuPods(kube::RestClient& client, const std::vector<std::string>& gpu_nodes) {
  nlohmann::json pods = nlohmann::json::array();
  if (gpu_nodes.empty()) return pods;
  const std::set<std::string, std::less<>> wanted(gpu_nodes.begin(), gpu_nodes.end());
  kube::ResourceRef ref = kube::core::Pods();
  kube::ListOptions options;
  options.field_selector = kHoldingPods;
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
                IoStreams streams, const ListingWatchEnv* watch) {
  LLM_ASSIGN_OR_RETURN(const NodesPlan plan, ValidateNodesCommandOptions(options));
  if (plan.listing.watch) {
    if (watch == nullptr) return Error(ErrorKind::kInternal, "nodes -w needs a terminal to print to");
    return WatchNodes(plan, client, *watch);
  }
  kube::ResourceRef ref = kube::core::Nodes();
  kube::ListOptions list_options;
  list_options.label_selector = plan.listing.label_selector;
  list_options.field_selector = plan.listing.field_selector;
  auto nodes = client.List(ref, list_options);
  if (!nodes.ok()) return nodes.error();  // kubectl's "nodes is forbidden: ..." as is
  // Which nodes are GPU nodes is ListGpuNodes' rule; ask it first without pods.
  std::vector<std::string> names;
  for (const GpuNodeRow& row : ListGpuNodes(*nodes, nlohmann::json::array(), now)) names.push_back(row.name);
  LLM_ASSIGN_OR_RETURN(nlohmann::json pods, ListGpuPods(client, names));
  Listing listing = NodesListing(*nodes, pods, now);
  if (plan.output.is_table() && listing.table.row_count() == 0) {
    streams.err << kNoGpuNodes;
    return Ok();
  }
  LLM_ASSIGN_OR_RETURN(std::string text, RenderListing(std::move(listing), plan.listing.print, plan.output));
  streams.out << text;
  return Ok();
}

void SetupNodesCommand(CLI::App* cmd, CommandContext& ctx) {
  auto options = std::make_shared<NodesOptions>();
  AddOutputFlag(cmd, options->output, kNodesOutputs);
  AddListingFlags(cmd, options->listing, "nodes",
                  "metadata.name, spec.unschedulable (e.g. --field-selector spec.unschedulable=false)");
  cmd->callback([options, &ctx] {
    if (auto plan = ValidateNodesCommandOptions(*options); !plan.ok()) return ctx.Finish(plan.error());
    auto session = ClusterSession::Open(ctx.global.kube, ctx.streams);
    if (!session.ok()) return ctx.Finish(session.error());
    std::optional<CommandLineWatchEnv> watch;
    if (options->listing.watch || options->listing.watch_only) watch.emplace(ctx.streams);
    ctx.Finish(RunNodes(*options, (*session)->client(), std::chrono::system_clock::now(), ctx.streams,
                        watch ? &watch->env() : nullptr));
    if (ctx.status.ok() && watch) ctx.exit_code = watch->stopped_exit_code();
  });
}

}  // namespace llm

// tenant list and tenant status: each tenant's quota use, pods, workloads
// and queue, read from the objects tenant create made.
#include <algorithm>
#include <chrono>

#include "commands/cluster_session.h"
#include "commands/managed_workloads.h"
#include "commands/tenant_cluster.h"
#include "commands/tenant_command.h"
#include "kube/object_fields.h"
#include "kube/resource_ref.h"
#include "output/object_printer.h"
#include "tenant/tenant_names.h"
#include "tenant/tenant_status.h"

namespace llm {
namespace {

using nlohmann::json;
using namespace tenant;  // NOLINT: this file is a tenant verb

TenantStatus ReadTenantStatus(ClusterSession& session, const json& ns) {
  kube::RestClient& client = session.client();
  const std::string team = NameOf(ns);
  const std::string object_name(kTenantObjectName);
  std::optional<json> quota = GetIfPresent(client, kube::core::ResourceQuotas(team, object_name));
  json pods = json::array();
  if (auto listed = client.List(kube::core::Pods(team), {}); listed.ok()) pods = (*listed)["items"];
  int64_t workloads = 0;
  if (auto listed = ListManagedWorkloads(client, session.mapper(), team, ""); listed.ok()) {
    workloads = static_cast<int64_t>(listed->size());
  }
  std::optional<json> binding =
      GetIfPresent(client, {"rbac.authorization.k8s.io", "v1", "rolebindings", team, object_name, ""});
  std::optional<json> local_queue, cluster_queue;
  const std::string queue = AnnotationOf(ns, kLocalQueueAnnotation);
  if (!queue.empty()) {
    if (auto ref = KueueRef(session.mapper(), "LocalQueue", team, queue); ref.ok()) {
      local_queue = GetIfPresent(client, *ref);
    }
    const std::string cluster_queue_name = local_queue ? StringAt(*local_queue, {"spec", "clusterQueue"}, team) : team;
    if (auto ref = KueueRef(session.mapper(), "ClusterQueue", "", cluster_queue_name); ref.ok()) {
      cluster_queue = GetIfPresent(client, *ref);
    }
  }
  return SummarizeTenant(ns, quota ? &*quota : nullptr, pods, workloads, binding ? &*binding : nullptr,
                         local_queue ? &*local_queue : nullptr, cluster_queue ? &*cluster_queue : nullptr);
}

}  // namespace

Status RunTenantStatus(const TenantStatusOptions& options, ClusterSession& session, IoStreams streams) {
  LLM_ASSIGN_OR_RETURN(OutputSpec output, ParseOutputFormat(options.output, kTenantStatusOutputs));
  std::vector<TenantStatus> rows;
  if (!options.team.empty()) {
    LLM_RETURN_IF_ERROR(CheckTeamName(options.team));
    LLM_ASSIGN_OR_RETURN(json ns, TenantNamespace(session.client(), options.team));
    rows.push_back(ReadTenantStatus(session, ns));
    if (!output.is_table()) {
      LLM_ASSIGN_OR_RETURN(std::string text, FormatDocument(TenantStatusJson(rows.front()), output));
      streams.out << text;
    }
  } else {
    kube::ListOptions list;
    list.label_selector = std::string(kTenantLabel);
    LLM_ASSIGN_OR_RETURN(json namespaces, session.client().List(kube::core::Namespaces(), list));
    for (const json& ns : ItemsOf(namespaces)) rows.push_back(ReadTenantStatus(session, ns));
    std::sort(rows.begin(), rows.end(), [](const TenantStatus& a, const TenantStatus& b) { return a.name < b.name; });
    if (!output.is_table()) {
      LLM_ASSIGN_OR_RETURN(std::string text, FormatDocument(TenantStatusListJson(rows), output));
      streams.out << text;
    }
  }
  if (!output.is_table()) return Ok();
  if (rows.empty()) {
    streams.err << "No tenants found (make one with: kubectl llm tenant create TEAM --gpus N)\n";
    return Ok();
  }
  streams.out << TenantTable(rows, std::chrono::system_clock::now()).Render(false);
  if (!options.team.empty() && !rows.front().quota.empty()) {
    streams.out << "\nQuota:\n";
    Table quota({{"RESOURCE"}, {"USED"}, {"HARD"}});
    for (const QuotaLine& line : rows.front().quota) quota.AddRow({line.resource, line.used, line.hard});
    streams.out << quota.Render(false);
  }
  return Ok();
}

}  // namespace llm

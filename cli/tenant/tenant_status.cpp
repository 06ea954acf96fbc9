#include "tenant/tenant_status.h"

#include <fmt/format.h>

#include "kube/object_fields.h"
#include "kube/well_known_names.h"
#include "output/human_duration.h"
#include "tenant/tenant_names.h"

namespace llm::tenant {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

std::string QuantityText(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return std::to_string(value.get<int64_t>());
  return "";
}

/// The GPUs a Kueue queue's flavorsUsage counts: (total, borrowed).
std::pair<int64_t, int64_t> GpuUsage(const json& queue) {
  int64_t total = 0, borrowed = 0;
  for (const json& flavor : ArrayAt(queue, {"status", "flavorsUsage"})) {
    for (const json& resource : ArrayAt(flavor, {"resources"})) {
      if (StringAt(resource, {"name"}) != kGpuResource) continue;
      if (const json* t = FindPath(resource, {"total"})) total += ParseCountQuantity(*t).value_or(0);
      if (const json* b = FindPath(resource, {"borrowed"})) borrowed += ParseCountQuantity(*b).value_or(0);
    }
  }
  return {total, borrowed};
}

int64_t NominalGpus(const json& cluster_queue) {
  int64_t nominal = 0;
  for (const json& group : ArrayAt(cluster_queue, {"spec", "resourceGroups"})) {
    for (const json& flavor : ArrayAt(group, {"flavors"})) {
      for (const json& resource : ArrayAt(flavor, {"resources"})) {
        if (StringAt(resource, {"name"}) != kGpuResource) continue;
        if (const json* q = FindPath(resource, {"nominalQuota"})) nominal += ParseCountQuantity(*q).value_or(0);
      }
    }
  }
  return nominal;
}

}  // namespace

TenantStatus SummarizeTenant(const json& ns, const json* quota, const json& pods, int64_t workloads,
                             const json* binding, const json* local_queue, const json* cluster_queue) {
  TenantStatus s;
  s.name = NameOf(ns);
  s.created = StringAt(ns, {"metadata", "creationTimestamp"});
  s.phase = StringAt(ns, {"status", "phase"}, "Active");
  s.pod_security = LabelOf(ns, "pod-security.kubernetes.io/enforce");
  s.priority_class = AnnotationOf(ns, kPriorityClassAnnotation);
  if (quota != nullptr) {
    const std::string gpu_key = "requests." + std::string(kGpuResource);
    if (const json* hard = FindPath(*quota, {"status", "hard"}); hard != nullptr && hard->is_object()) {
      for (const auto& [resource, value] : hard->items()) {
        QuotaLine line{resource, "0", QuantityText(value)};
        if (const json* used = FindPath(*quota, {"status", "used", resource})) line.used = QuantityText(*used);
        s.quota.push_back(line);
      }
    }
    if (const json* hard = FindPath(*quota, {"status", "hard", gpu_key})) s.gpus_quota = ParseCountQuantity(*hard);
    if (s.gpus_quota) {
      const json* used = FindPath(*quota, {"status", "used", gpu_key});
      s.gpus_used = used == nullptr ? 0 : ParseCountQuantity(*used).value_or(0);
    }
  }
  for (const json& pod : ItemsOf(pods)) {
    const std::string phase = StringAt(pod, {"status", "phase"});
    if (phase != "Succeeded" && phase != "Failed") ++s.pods;
  }
  s.workloads = workloads;
  if (binding != nullptr) {
    for (const json& subject : ArrayAt(*binding, {"subjects"})) {
      const std::string kind = StringAt(subject, {"kind"});
      const std::string subject_ns = StringAt(subject, {"namespace"});
      s.members.push_back(kind + "/" + (subject_ns.empty() ? "" : subject_ns + "/") + StringAt(subject, {"name"}));
    }
  }
  if (local_queue != nullptr || cluster_queue != nullptr) {
    QueueStatus q;
    if (local_queue != nullptr) {
      q.local_queue = NameOf(*local_queue);
      q.cluster_queue = StringAt(*local_queue, {"spec", "clusterQueue"});
      q.pending = IntAt(*local_queue, {"status", "pendingWorkloads"});
      q.admitted = IntAt(*local_queue, {"status", "admittedWorkloads"});
    }
    if (cluster_queue != nullptr) {
      q.cluster_queue = NameOf(*cluster_queue);
      q.nominal_gpus = NominalGpus(*cluster_queue);
      q.borrowed_gpus = GpuUsage(*cluster_queue).second;
    }
    s.queue = q;
  }
  return s;
}

ordered_json TenantStatusJson(const TenantStatus& s) {
  ordered_json out;
  out["apiVersion"] = "kubectl-llm.dev/v1alpha1";
  out["kind"] = "TenantStatus";
  out["name"] = s.name;
  out["namespace"] = s.name;
  out["phase"] = s.phase;
  out["created"] = s.created;
  out["gpus"] = {{"used", s.gpus_used ? ordered_json(*s.gpus_used) : ordered_json(nullptr)},
                 {"quota", s.gpus_quota ? ordered_json(*s.gpus_quota) : ordered_json(nullptr)}};
  ordered_json quota = ordered_json::array();
  for (const QuotaLine& line : s.quota)
    quota.push_back({{"resource", line.resource}, {"used", line.used}, {"hard", line.hard}});
  out["quota"] = quota;
  out["pods"] = s.pods;
  out["workloads"] = s.workloads;
  if (s.queue) {
    out["queue"] = {{"localQueue", s.queue->local_queue},   {"clusterQueue", s.queue->cluster_queue},
                    {"pending", s.queue->pending},          {"admitted", s.queue->admitted},
                    {"nominalGpus", s.queue->nominal_gpus}, {"borrowedGpus", s.queue->borrowed_gpus}};
  } else {
    out["queue"] = nullptr;
  }
  out["podSecurity"] = s.pod_security;
  out["priorityClass"] = s.priority_class;
  out["members"] = s.members;
  return out;
}

ordered_json TenantStatusListJson(const std::vector<TenantStatus>& statuses) {
  ordered_json items = ordered_json::array();
  for (const TenantStatus& s : statuses) {
    ordered_json item = TenantStatusJson(s);
    item.erase("apiVersion");
    item.erase("kind");
    items.push_back(std::move(item));
  }
  return {{"apiVersion", "kubectl-llm.dev/v1alpha1"}, {"kind", "TenantStatusList"}, {"items", items}};
}

Table TenantTable(const std::vector<TenantStatus>& statuses, std::chrono::system_clock::time_point now) {
  Table table({{"NAME"}, {"GPUS"}, {"PODS"}, {"WORKLOADS"}, {"PENDING"}, {"ADMITTED"}, {"BORROWED"}, {"AGE"}});
  for (const TenantStatus& s : statuses) {
    std::string gpus = s.gpus_quota ? fmt::format("{}/{}", s.gpus_used.value_or(0), *s.gpus_quota) : "-";
    const std::string age = HumanAge(s.created, now);
    table.AddRow({s.name + (s.phase == "Terminating" ? " (Terminating)" : ""), gpus, std::to_string(s.pods),
                  std::to_string(s.workloads), s.queue ? std::to_string(s.queue->pending) : "-",
                  s.queue ? std::to_string(s.queue->admitted) : "-",
                  s.queue ? std::to_string(s.queue->borrowed_gpus) : "-", age});
  }
  return table;
}

}  // namespace llm::tenant

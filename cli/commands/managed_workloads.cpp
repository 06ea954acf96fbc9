#include "commands/managed_workloads.h"
#include "kube/object_fields.h"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

namespace llm {
namespace {

bool OwnedByController(const nlohmann::json& object) {
  const auto meta = object.find("metadata");
  if (meta == object.end() || !meta->is_object()) return false;
  const auto owners = meta->find("ownerReferences");
  if (owners == meta->end() || !owners->is_array()) return false;
  return std::any_of(owners->begin(), owners->end(),
                     [](const nlohmann::json& owner) { return owner.is_object() && owner.value("controller", false); });
}

}  // namespace

Error NoWorkloadError(const std::string& name, const std::string& ns) {
  const std::string where = ns.empty() ? "in any namespace" : fmt::format("in namespace \"{}\"", ns);
  return Error(ErrorKind::kNotFound,
               fmt::format("no workload \"{}\" made by kubectl-llm {} (`kubectl llm list{}` lists them)", name, where,
                           ns.empty() ? " -A" : " -n " + ns));
}

std::string ManagedBySelector() { return fmt::format("{}={}", kManagedByLabel, kManagedByValue); }

const std::vector<WorkloadKind>& ManagedWorkloadKinds() {
  static const std::vector<WorkloadKind> kKinds = {
      {"apps/v1", "Deployment"},
      {"apps/v1", "StatefulSet"},
      {"leaderworkerset.x-k8s.io/v1", "LeaderWorkerSet"},
      {"jobset.x-k8s.io/v1alpha2", "JobSet"},
      {"batch/v1", "Job"},
  };
  return kKinds;
}

const std::vector<WorkloadKind>& ServingWorkloadKinds() {
  static const std::vector<WorkloadKind> kKinds = {
      {"apps/v1", "Deployment"},
      {"leaderworkerset.x-k8s.io/v1", "LeaderWorkerSet"},
  };
  return kKinds;
}

std::string ManagedWorkloadSelector(const std::string& name, const std::string& extra) {
  std::string selector = ManagedBySelector();
  if (!name.empty()) selector += fmt::format(",{}={}", kInstanceLabel, name);
  if (!extra.empty()) selector += "," + extra;
  return selector;
}

Result<std::vector<kube::RestMapping>> ServedWorkloadMappings(kube::RestMapper& mapper,
                                                              const std::vector<WorkloadKind>& kinds) {
  std::vector<kube::RestMapping> mappings;
  for (const WorkloadKind& kind : kinds) {
    kube::GroupKind group_kind = kube::GroupKindOf(kind.api_version, kind.kind);
    LLM_ASSIGN_OR_RETURN(bool served, mapper.HasGroupKind(group_kind));
    if (!served) continue;
    LLM_ASSIGN_OR_RETURN(kube::RestMapping mapping, mapper.MapGroupKind(group_kind));
    mappings.push_back(std::move(mapping));
  }
  return mappings;
}

std::optional<ManagedWorkload> AsManagedWorkload(nlohmann::json item, const kube::RestMapping& mapping) {
  if (OwnedByController(item)) return std::nullopt;
  // A List's items carry no kind; the summary needs it.
  item["apiVersion"] = mapping.resource.group.empty() ? mapping.resource.version
                                                      : mapping.resource.group + "/" + mapping.resource.version;
  item["kind"] = mapping.kind;
  return ManagedWorkload{std::move(item), mapping};
}

void SortManagedWorkloads(std::vector<ManagedWorkload>& workloads) {
  std::sort(workloads.begin(), workloads.end(), [](const ManagedWorkload& a, const ManagedWorkload& b) {
    return std::make_tuple(NamespaceOf(a.object), NameOf(a.object), a.mapping.kind) <
           std::make_tuple(NamespaceOf(b.object), NameOf(b.object), b.mapping.kind);
  });
}

Result<std::vector<ManagedWorkload>> ListManagedWorkloads(kube::RestClient& client, kube::RestMapper& mapper,
                                                          const std::string& ns, const std::string& name,
                                                          const std::vector<WorkloadKind>& kinds,
                                                          const WorkloadFilter& filter) {
  LLM_ASSIGN_OR_RETURN(std::vector<kube::RestMapping> mappings, ServedWorkloadMappings(mapper, kinds));
  std::vector<kube::PlannedRead> reads;
  for (const kube::RestMapping& mapping : mappings) {
    kube::ResourceRef ref = mapping.resource;
    ref.ns = ns;
    kube::ListOptions options;
    options.label_selector = ManagedWorkloadSelector(name, filter.label_selector);
    options.field_selector = filter.field_selector;
    reads.push_back(kube::PlannedRead::List(std::move(ref), std::move(options)));
  }
  // One list per served kind, none depending on another: one round trip for all.
  if (reads.size() > 1) client.Prefetch(reads);
  std::vector<ManagedWorkload> found;
  for (size_t i = 0; i < mappings.size(); ++i) {
    const kube::RestMapping& mapping = mappings[i];
    auto list = client.List(reads[i].ref, reads[i].list);
    if (!list.ok()) return list.error();  // the server names the resource; kubectl prints it as is
    for (nlohmann::json& item : (*list)["items"]) {
      if (std::optional<ManagedWorkload> workload = AsManagedWorkload(std::move(item), mapping)) {
        found.push_back(std::move(*workload));
      }
    }
  }
  SortManagedWorkloads(found);
  return found;
}

Result<ManagedWorkload> FindManagedWorkload(kube::RestClient& client, kube::RestMapper& mapper, const std::string& ns,
                                            const std::string& name, const std::vector<WorkloadKind>& kinds) {
  LLM_ASSIGN_OR_RETURN(std::vector<ManagedWorkload> found, ListManagedWorkloads(client, mapper, ns, name, kinds));
  if (found.empty()) {
    return NoWorkloadError(name, ns);
  }
  if (found.size() > 1) {
    std::vector<std::string> named;
    for (const ManagedWorkload& w : found) named.push_back(w.mapping.kind + "/" + NameOf(w.object));
    return Error(ErrorKind::kConflict, fmt::format("several workloads are named \"{}\" in namespace \"{}\": {}", name,
                                                   ns, fmt::join(named, ", ")));
  }
  return std::move(found.front());
}

}  // namespace llm

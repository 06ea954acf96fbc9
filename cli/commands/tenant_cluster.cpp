#include "commands/tenant_cluster.h"

#include <fmt/format.h>

#include "kube/object_fields.h"
#include "kube/resource_ref.h"
#include "tenant/tenant_names.h"

namespace llm {
namespace {

constexpr char kKueueGroup[] = "kueue.x-k8s.io";

}  // namespace

Result<nlohmann::json> TenantNamespace(kube::RestClient& client, const std::string& team) {
  auto ns = client.Get(kube::core::Namespaces(team));
  if (!ns.ok()) {
    if (ns.error().kind() == ErrorKind::kNotFound) {
      return Error(ErrorKind::kNotFound, fmt::format("no tenant \"{}\" (no namespace \"{}\")", team, team));
    }
    return ns.error();
  }
  if (LabelOf(*ns, tenant::kTenantLabel) != team) {
    return Error(ErrorKind::kNotFound, fmt::format("no tenant \"{}\": namespace \"{}\" is not a tenant's (no {} label)",
                                                   team, team, tenant::kTenantLabel));
  }
  return std::move(ns).value();
}

Result<tenant::KueueFacts> ReadKueueFacts(kube::RestMapper& mapper) {
  tenant::KueueFacts facts;
  auto queue = mapper.MapGroupKind({kKueueGroup, "ClusterQueue"});
  if (!queue.ok()) {
    if (queue.error().kind() == ErrorKind::kNotFound) return facts;
    return queue.error();
  }
  facts.served = true;
  facts.api_version = std::string(kKueueGroup) + "/" + queue->resource.version;
  facts.cohort_field = tenant::CohortFieldFor(facts.api_version);
  auto cohort = mapper.MapGroupKind({kKueueGroup, "Cohort"});
  if (cohort.ok()) facts.cohort_api_version = std::string(kKueueGroup) + "/" + cohort->resource.version;
  return facts;
}

Result<kube::ResourceRef> KueueRef(kube::RestMapper& mapper, const std::string& kind, const std::string& ns,
                                   const std::string& name) {
  LLM_ASSIGN_OR_RETURN(kube::RestMapping mapping, mapper.MapGroupKind({kKueueGroup, kind}));
  kube::ResourceRef ref = mapping.resource;
  ref.ns = mapping.namespaced ? ns : "";
  ref.name = name;
  return ref;
}

std::optional<nlohmann::json> GetIfPresent(kube::RestClient& client, const kube::ResourceRef& ref) {
  auto got = client.Get(ref);
  if (!got.ok()) return std::nullopt;
  return std::move(got).value();
}

std::vector<kube::PlannedRead> TenantDefaultsReads(const std::string& ns) {
  return {kube::PlannedRead::Get(kube::core::Namespaces(ns))};
}

TenantDefaults ReadTenantDefaults(kube::RestClient& client, const std::string& ns) {
  TenantDefaults defaults;
  auto got = client.Get(kube::core::Namespaces(ns));
  if (!got.ok()) return defaults;
  defaults.team = LabelOf(*got, tenant::kTenantLabel);
  if (defaults.team.empty()) return defaults;
  defaults.local_queue = AnnotationOf(*got, tenant::kLocalQueueAnnotation);
  defaults.priority_class = AnnotationOf(*got, tenant::kPriorityClassAnnotation);
  return defaults;
}

}  // namespace llm

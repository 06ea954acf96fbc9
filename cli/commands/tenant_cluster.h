// What the tenant verbs (and serve/train's tenant defaults) read from the
// cluster: a tenant's namespace, Kueue's served kinds. The decisions on what
// is read live in cli/tenant/, which never talks to the API server.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "kube/rest_client.h"
#include "kube/rest_mapper.h"
#include "tenant/tenant_objects.h"
#include "util/result.h"

namespace llm {

/// The tenant's namespace; NotFound, naming the team, when there is none or
/// the namespace is not a tenant's.
Result<nlohmann::json> TenantNamespace(kube::RestClient& client, const std::string& team);

/// Which Kueue version (and cohort field) the cluster serves; `served` false
/// when it serves none.
Result<tenant::KueueFacts> ReadKueueFacts(kube::RestMapper& mapper);

/// A Kueue object (or collection, for an empty name) at the version served.
Result<kube::ResourceRef> KueueRef(kube::RestMapper& mapper, const std::string& kind, const std::string& ns = "",
                                   const std::string& name = "");

/// The object, or nullopt when it cannot be read (absent or forbidden): for
/// status and verify, which report what is missing rather than stop.
std::optional<nlohmann::json> GetIfPresent(kube::RestClient& client, const kube::ResourceRef& ref);

/// What serve and train take from a tenant's namespace: its LocalQueue and
/// PriorityClass (the namespace's annotations), each "" when it sets none.
/// A namespace the caller may not read, or that is no tenant's, sets nothing.
struct TenantDefaults {
  std::string team;
  std::string local_queue;
  std::string priority_class;
};
TenantDefaults ReadTenantDefaults(kube::RestClient& client, const std::string& ns);
/// What ReadTenantDefaults reads (the namespace), for RestClient::Prefetch.
std::vector<kube::PlannedRead> TenantDefaultsReads(const std::string& ns);

}  // namespace llm

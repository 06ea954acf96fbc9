// Discovery documents: what the API server says it serves, parsed from the
// aggregated form (apidiscovery.k8s.io v2/v2beta1 APIGroupDiscoveryList, one
// request each for /api and /apis) or the legacy form (/api, /apis, then one
// APIResourceList per group-version). Both end in one DiscoveryData, which can be
// written back as legacy documents: that is the layout of kubectl's disk cache.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/result.h"

namespace llm::kube {

struct ApiResource {
  std::string group;  ///< "" for core
  std::string version;
  std::string resource;  ///< plural name: "deployments", "endpoints"
  std::string singular;
  std::string kind;
  bool namespaced = false;
  std::vector<std::string> verbs;
  std::vector<std::string> short_names;
  std::vector<std::string> subresources;  ///< "status", "scale"
};

struct ApiGroup {
  std::string name;                   ///< "" for core
  std::vector<std::string> versions;  ///< the server's preference order, preferred first
};

struct DiscoveryData {
  std::vector<ApiGroup> groups;
  std::vector<ApiResource> resources;
  /// "group/version" entries the server could not describe (aggregated APIs
  /// that are down: Stale freshness or a failed legacy request). Not fatal, as in kubectl.
  std::vector<std::string> unavailable;
};

/// "apps/v1", or "v1" for the core group.
std::string GroupVersionString(const std::string& group, const std::string& version);

/// Adds an APIGroupDiscoveryList (v2 or v2beta1) to `out`.
Status AddAggregatedDocument(const nlohmann::json& list, DiscoveryData& out);
/// Adds the groups of a legacy /api (APIVersions) or /apis (APIGroupList) document.
Status AddLegacyGroups(const nlohmann::json& document, DiscoveryData& out);
/// Adds the resources of a legacy APIResourceList (/api/v1, /apis/G/V).
Status AddLegacyResources(const nlohmann::json& list, DiscoveryData& out);

/// The groups as one APIGroupList, the core group first with name "", like
/// client-go's ServerGroups (and kubectl's servergroups.json).
nlohmann::json ToGroupList(const DiscoveryData& data);
/// One group-version's resources as an APIResourceList (serverresources.json).
nlohmann::json ToResourceList(const DiscoveryData& data, const std::string& group, const std::string& version);

}  // namespace llm::kube

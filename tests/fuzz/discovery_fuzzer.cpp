// Discovery documents: aggregated (APIGroupDiscoveryList) and legacy (/api,
// /apis, APIResourceList) as any server or proxy may send them. The first byte
// picks the form. Whatever was accepted, written back as kubectl's cache
// layout (an APIGroupList and one APIResourceList per group-version) and read
// again, describes the same resources.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <tuple>

#include "fuzz/fuzz_check.h"
#include "kube/discovery_document.h"

namespace {

using llm::kube::ApiResource;
using llm::kube::DiscoveryData;
using Key = std::tuple<std::string, std::string, std::string, std::string, bool, std::vector<std::string>>;

/// The resources of the group-versions `data` lists.
std::set<Key> Served(const DiscoveryData& data) {
  std::set<std::pair<std::string, std::string>> versions;
  for (const auto& group : data.groups) {
    for (const auto& version : group.versions) versions.emplace(group.name, version);
  }
  std::set<Key> out;
  for (const ApiResource& r : data.resources) {
    if (versions.count({r.group, r.version}) == 0) continue;
    out.emplace(r.group, r.version, r.resource, r.kind, r.namespaced, r.verbs);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace llm::kube;
  if (size == 0) return 0;
  nlohmann::json document = nlohmann::json::parse(llm::fuzz::Text(data + 1, size - 1), nullptr, false);
  if (document.is_discarded()) return 0;
  DiscoveryData parsed;
  llm::Status added;
  switch (data[0] % 3) {
    case 0:
      added = AddAggregatedDocument(document, parsed);
      break;
    case 1:
      added = AddLegacyGroups(document, parsed);
      break;
    default:
      added = AddLegacyResources(document, parsed);
      break;
  }
  if (!added.ok()) {
    FUZZ_CHECK(!added.error().message().empty(), "an error without a message");
    return 0;
  }
  DiscoveryData cached;
  FUZZ_CHECK(AddLegacyGroups(ToGroupList(parsed), cached).ok(), "the cached group list does not read back");
  for (const ApiGroup& group : parsed.groups) {
    for (const std::string& version : group.versions) {
      FUZZ_CHECK(AddLegacyResources(ToResourceList(parsed, group.name, version), cached).ok(),
                 "a cached resource list does not read back");
    }
  }
  FUZZ_CHECK(Served(cached) == Served(parsed), "the discovery cache does not describe what was discovered");
  return 0;
}

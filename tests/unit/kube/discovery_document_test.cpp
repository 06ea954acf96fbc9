#include "kube/discovery_document.h"

#include <doctest/doctest.h>

#include "fakes/discovery_fixtures.h"

namespace llm::kube {
namespace {
using nlohmann::json;
using testing::ReadTestdata;

const ApiResource* Find(const DiscoveryData& data, const std::string& group, const std::string& version,
                        const std::string& resource) {
  for (const ApiResource& entry : data.resources) {
    if (entry.group == group && entry.version == version && entry.resource == resource) return &entry;
  }
  return nullptr;
}

const ApiGroup* FindGroup(const DiscoveryData& data, const std::string& name) {
  for (const ApiGroup& group : data.groups) {
    if (group.name == name) return &group;
  }
  return nullptr;
}

DiscoveryData Aggregated() {
  DiscoveryData data;
  REQUIRE(AddAggregatedDocument(json::parse(ReadTestdata("discovery/aggregated_api.json")), data).ok());
  REQUIRE(AddAggregatedDocument(json::parse(ReadTestdata("discovery/aggregated_apis.json")), data).ok());
  return data;
}

TEST_CASE("aggregated discovery: resources, scope, kinds and subresources") {
  DiscoveryData data = Aggregated();
  struct Row {
    std::string group, version, resource, kind;
    bool namespaced;
  };
  for (const Row& row : std::vector<Row>{
           {"", "v1", "pods", "Pod", true},
           {"", "v1", "namespaces", "Namespace", false},
           {"", "v1", "endpoints", "Endpoints", true},
           {"apps", "v1", "deployments", "Deployment", true},
           {"networking.k8s.io", "v1", "ingresses", "Ingress", true},
           {"networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", true},
           {"apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false},
           {"leaderworkerset.x-k8s.io", "v1", "leaderworkersets", "LeaderWorkerSet", true},
       }) {
    CAPTURE(row.resource);
    const ApiResource* found = Find(data, row.group, row.version, row.resource);
    REQUIRE(found != nullptr);
    CHECK(found->kind == row.kind);
    CHECK(found->namespaced == row.namespaced);
  }
  const ApiResource* deployments = Find(data, "apps", "v1", "deployments");
  CHECK(deployments->subresources == std::vector<std::string>{"scale", "status"});
  CHECK(deployments->short_names == std::vector<std::string>{"deploy"});
  CHECK(deployments->singular == "deployment");
}

TEST_CASE("aggregated discovery: version order is preference order, stale versions are unavailable") {
  DiscoveryData data = Aggregated();
  // An aggregated API whose backend is down, as the server reports it.
  REQUIRE(AddAggregatedDocument(json::parse(R"({"items":[{"metadata":{"name":"metrics.k8s.io"},
      "versions":[{"version":"v1beta1","freshness":"Stale"}]}]})"),
                                data)
              .ok());
  REQUIRE(FindGroup(data, "autoscaling") != nullptr);
  CHECK(FindGroup(data, "autoscaling")->versions == std::vector<std::string>{"v2", "v1"});
  REQUIRE(FindGroup(data, "") != nullptr);
  CHECK(FindGroup(data, "")->versions == std::vector<std::string>{"v1"});
  CHECK(data.unavailable == std::vector<std::string>{"metrics.k8s.io/v1beta1"});
  for (const ApiResource& resource : data.resources) CHECK(resource.group != "metrics.k8s.io");
}

TEST_CASE("aggregated discovery: a bad scope is an error naming the resource") {
  json list = json::parse(R"({"items":[{"metadata":{"name":"x.io"},"versions":[{"version":"v1","resources":[
      {"resource":"things","responseKind":{"kind":"Thing"},"scope":"Galaxy"}]}]}]})");
  DiscoveryData data;
  Status status = AddAggregatedDocument(list, data);
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().message().find("x.io/v1 things") != std::string::npos);
  CHECK(status.error().message().find("Galaxy") != std::string::npos);
  CHECK_FALSE(AddAggregatedDocument(json::parse(R"({"groups":[]})"), data).ok());
}

TEST_CASE("legacy discovery: APIVersions, APIGroupList and APIResourceList") {
  DiscoveryData data;
  REQUIRE(AddLegacyGroups(json::parse(ReadTestdata("discovery/legacy_api.json")), data).ok());
  REQUIRE(AddLegacyGroups(json::parse(ReadTestdata("discovery/legacy_apis.json")), data).ok());
  REQUIRE(AddLegacyResources(json::parse(ReadTestdata("discovery/legacy/v1.json")), data).ok());
  REQUIRE(AddLegacyResources(json::parse(ReadTestdata("discovery/legacy/apps_v1.json")), data).ok());
  CHECK(FindGroup(data, "")->versions == std::vector<std::string>{"v1"});
  CHECK(FindGroup(data, "autoscaling")->versions == std::vector<std::string>{"v2", "v1"});
  const ApiResource* namespaces = Find(data, "", "v1", "namespaces");
  REQUIRE(namespaces != nullptr);
  CHECK_FALSE(namespaces->namespaced);
  CHECK(namespaces->subresources == std::vector<std::string>{"finalize", "status"});
  const ApiResource* deployments = Find(data, "apps", "v1", "deployments");
  REQUIRE(deployments != nullptr);
  CHECK(deployments->kind == "Deployment");
  CHECK(deployments->subresources == std::vector<std::string>{"scale", "status"});
  CHECK(Find(data, "apps", "v1", "deployments/scale") == nullptr);
}

TEST_CASE("the legacy documents written for the cache parse back to the same data") {
  DiscoveryData data = Aggregated();
  DiscoveryData back;
  json groups = ToGroupList(data);
  CHECK(groups["groups"][0]["name"] == "");  // core first, as client-go's ServerGroups
  REQUIRE(AddLegacyGroups(groups, back).ok());
  for (const ApiGroup& group : back.groups) {
    for (const std::string& version : group.versions) {
      REQUIRE(AddLegacyResources(ToResourceList(data, group.name, version), back).ok());
    }
  }
  REQUIRE(back.resources.size() == data.resources.size());
  for (const ApiResource& resource : data.resources) {
    const ApiResource* again = Find(back, resource.group, resource.version, resource.resource);
    REQUIRE(again != nullptr);
    CHECK(again->kind == resource.kind);
    CHECK(again->namespaced == resource.namespaced);
    CHECK(again->subresources == resource.subresources);
    CHECK(again->short_names == resource.short_names);
  }
  CHECK(FindGroup(back, "autoscaling")->versions == std::vector<std::string>{"v2", "v1"});
}

// Found by tests/fuzz/discovery_fuzzer.cpp (corpus/discovery/finding-*): each of
// these was accepted as version "" or a name the disk cache's layout cannot
// read back, or threw out of the parser.
TEST_CASE("legacy and aggregated discovery: malformed names and fields are errors naming the document") {
  struct Case {
    const char* what;
    const char* document;
    bool resources;  ///< an APIResourceList rather than a group list
  };
  const Case cases[] = {
      {"a version entry without a version",
       R"({"kind":"APIGroupList","groups":[{"name":"apps","versions":[{"groupVersion":"apps/v1"}]}]})", false},
      {"a group name with a slash",
       R"({"kind":"APIGroupList","groups":[{"name":"a/b","versions":[{"version":"v1"}]}]})", false},
      {"a core version with a slash", R"({"kind":"APIVersions","versions":["v1/x"]})", false},
      {"namespaced that is not a boolean",
       R"({"groupVersion":"apps/v1","resources":[{"name":"deployments","kind":"Deployment","namespaced":"true"}]})",
       true},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    DiscoveryData data;
    const json document = json::parse(c.document);
    Status added = c.resources ? AddLegacyResources(document, data) : AddLegacyGroups(document, data);
    REQUIRE_FALSE(added.ok());
    CHECK(added.error().message().find("malformed discovery document") == 0);
    CHECK(data.groups.empty());
  }
  const json aggregated =
      json::parse(R"({"items":[{"metadata":{"name":"apps"},"versions":[{"version":"v1","resources":[)"
                  R"({"resource":"deployments/scale","responseKind":{"kind":"Scale"},"scope":"Namespaced"}]}]}]})");
  DiscoveryData data;
  Status added = AddAggregatedDocument(aggregated, data);
  REQUIRE_FALSE(added.ok());
  CHECK(added.error().message().find("has a '/'") != std::string::npos);
}

}  // namespace
}  // namespace llm::kube

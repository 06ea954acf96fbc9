#include "kube/rest_mapper.h"

#include <doctest/doctest.h>

#include "fakes/discovery_fixtures.h"
#include "fakes/fake_clock.h"
#include "fakes/fake_file_system.h"

namespace llm::kube {
namespace {
using testing::FakeClock;
using testing::FakeFileSystem;
using testing::FakeRestClient;

DiscoveryOptions Options() {
  DiscoveryOptions options;
  options.server_url = "https://127.0.0.1:6443";
  options.cache_root = "/cache";
  return options;
}

TEST_CASE("kinds map to discovery's resources and scope, irregular plurals included") {
  FakeRestClient client;
  testing::ServeAggregatedDiscovery(client);
  FakeClock clock;
  Discovery discovery(client, nullptr, clock, Options());
  RestMapper mapper(discovery);
  struct Row {
    std::string api_version, kind, group, resource;
    bool namespaced;
  };
  for (const Row& row : std::vector<Row>{
           {"apps/v1", "Deployment", "apps", "deployments", true},
           {"v1", "Endpoints", "", "endpoints", true},
           {"v1", "Namespace", "", "namespaces", false},
           {"networking.k8s.io/v1", "Ingress", "networking.k8s.io", "ingresses", true},
           {"networking.k8s.io/v1", "NetworkPolicy", "networking.k8s.io", "networkpolicies", true},
           {"leaderworkerset.x-k8s.io/v1", "LeaderWorkerSet", "leaderworkerset.x-k8s.io", "leaderworkersets", true},
       }) {
    CAPTURE(row.kind);
    auto mapping = mapper.Map(row.api_version, row.kind);
    REQUIRE(mapping.ok());
    CHECK(mapping->resource.group == row.group);
    CHECK(mapping->resource.resource == row.resource);
    CHECK(mapping->namespaced == row.namespaced);
  }
  auto preferred = mapper.MapGroupKind({"autoscaling", "HorizontalPodAutoscaler"});
  REQUIRE(preferred.ok());
  CHECK(preferred->resource.version == "v2");
  CHECK(*mapper.HasGroupKind({"leaderworkerset.x-k8s.io", "LeaderWorkerSet"}));
  CHECK(*mapper.HasGroupKind({"jobset.x-k8s.io", "JobSet"}));
  CHECK(*mapper.HasGroupKind({"keda.sh", "ScaledObject"}));
  CHECK(*mapper.HasGroupKind({"kueue.x-k8s.io", "LocalQueue"}));
  CHECK_FALSE(*mapper.HasGroupKind({"serving.kserve.io", "InferenceService"}));
  CHECK(*mapper.HasGroup("batch"));
  CHECK_FALSE(*mapper.HasGroup("serving.kserve.io"));
}

TEST_CASE("no match is kubectl's error, after at most one refresh") {
  FakeRestClient client;
  testing::ServeAggregatedDiscovery(client);
  FakeClock clock;
  Discovery discovery(client, nullptr, clock, Options());
  RestMapper mapper(discovery);
  auto mapping = mapper.Map("serving.kserve.io/v1beta1", "InferenceService");
  REQUIRE_FALSE(mapping.ok());
  CHECK(mapping.error().kind() == ErrorKind::kNotFound);
  CHECK(mapping.error().message() ==
        R"(no matches for kind "InferenceService" in version "serving.kserve.io/v1beta1")");
  // The data was fetched from the server in this run: no refresh.
  CHECK(client.routes.requests().size() == 2);
  // A wrong version of a known kind does not match either.
  CHECK_FALSE(mapper.Map("apps/v1beta1", "Deployment").ok());
}

TEST_CASE("a kind missing from a cached discovery refreshes it once") {
  FakeRestClient client;
  FakeClock clock;
  FakeFileSystem files(clock);
  // An earlier run cached the server before the JobSet CRD was installed.
  nlohmann::json document = nlohmann::json::parse(testing::ReadTestdata("discovery/aggregated_apis.json"));
  nlohmann::json before = document;
  before["items"] = nlohmann::json::array();
  for (const nlohmann::json& item : document["items"]) {
    if (item["metadata"].value("name", "") != "jobset.x-k8s.io") before["items"].push_back(item);
  }
  client.routes.On(
      "GET", "/api",
      testing::JsonResponse(testing::ReadTestdata("discovery/aggregated_api.json"), testing::kAggregatedContentType));
  client.routes.On("GET", "/apis", testing::JsonResponse(before.dump(), testing::kAggregatedContentType));
  {
    Discovery earlier(client, &files, clock, Options());
    REQUIRE(earlier.Get().ok());
  }
  FakeRestClient server;
  server.routes.On(
      "GET", "/api",
      testing::JsonResponse(testing::ReadTestdata("discovery/aggregated_api.json"), testing::kAggregatedContentType));
  server.routes.On("GET", "/apis", testing::JsonResponse(document.dump(), testing::kAggregatedContentType));

  Discovery discovery(server, &files, clock, Options());
  RestMapper mapper(discovery);
  REQUIRE(mapper.Map("apps/v1", "Deployment").ok());
  CHECK(server.routes.requests().empty());  // served from the cache
  auto jobset = mapper.Map("jobset.x-k8s.io/v1alpha2", "JobSet");
  REQUIRE(jobset.ok());
  CHECK(jobset->resource.resource == "jobsets");
  CHECK(server.routes.requests().size() == 2);
  CHECK_FALSE(mapper.Map("serving.kserve.io/v1beta1", "InferenceService").ok());
  CHECK(server.routes.requests().size() == 2);  // once per run, not once per miss
  mapper.Reset();
  REQUIRE(mapper.Map("apps/v1", "Deployment").ok());
  CHECK(server.routes.requests().size() == 4);
}

TEST_CASE("GroupKind strings and apiVersion splitting") {
  CHECK(GroupKindOf("apps/v1", "Deployment") == GroupKind{"apps", "Deployment"});
  CHECK(GroupKindOf("v1", "Secret") == GroupKind{"", "Secret"});
  CHECK(GroupKind{"apps", "Deployment"}.ToString() == "Deployment.apps");
  CHECK(GroupKind{"", "Secret"}.ToString() == "Secret");
  CHECK(VersionOf("apps/v1") == "v1");
  CHECK(VersionOf("v1") == "v1");
}

}  // namespace
}  // namespace llm::kube

#include "kube/discovery.h"

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
  options.cache_root = "/home/u/.kube/cache";
  return options;
}

size_t CountRequests(const FakeRestClient& client) { return client.routes.requests().size(); }

TEST_CASE("cache directory is the plugin's own, never kubectl's, host named as kubectl names it") {
  CHECK(DiscoveryCacheDir("/c", "https://127.0.0.1:6443") == "/c/kubectl-llm/discovery/127.0.0.1_6443");
  CHECK(DiscoveryCacheDir("/c", "http://my-host.example.com:8080/prefix") ==
        "/c/kubectl-llm/discovery/my_host.example.com_8080/prefix");
  CHECK(DiscoveryCacheDir("/c", "https://[::1]:6443") == "/c/kubectl-llm/discovery/___1__6443");
}

TEST_CASE("aggregated discovery is negotiated in two requests") {
  FakeRestClient client;
  testing::ServeAggregatedDiscovery(client);
  FakeClock clock;
  Discovery discovery(client, nullptr, clock, Options());
  auto data = discovery.Get();
  REQUIRE(data.ok());
  CHECK(discovery.served_aggregated());
  CHECK(discovery.fresh());
  REQUIRE(CountRequests(client) == 2);
  for (const HttpRequest& request : client.routes.requests()) {
    CHECK(request.headers == Headers{{"Accept", kAggregatedDiscoveryAccept}});
  }
  CHECK(client.routes.requests()[0].path == "/api");
  CHECK(client.routes.requests()[1].path == "/apis");
  CHECK((*data)->unavailable.empty());
  // A second Get is answered from memory.
  REQUIRE(discovery.Get().ok());
  CHECK(CountRequests(client) == 2);
}

TEST_CASE("a stale aggregated group-version is not fetched the legacy way") {
  FakeRestClient client;
  auto apis = nlohmann::json::parse(testing::ReadTestdata("discovery/aggregated_apis.json"));
  apis["items"].push_back(nlohmann::json::parse(
      R"({"metadata":{"name":"metrics.k8s.io"},"versions":[{"version":"v1beta1","freshness":"Stale"}]})"));
  client.routes.On(
      "GET", "/api",
      testing::JsonResponse(testing::ReadTestdata("discovery/aggregated_api.json"), testing::kAggregatedContentType));
  client.routes.On("GET", "/apis", testing::JsonResponse(apis.dump(), testing::kAggregatedContentType));
  FakeClock clock;
  Discovery discovery(client, nullptr, clock, Options());
  auto data = discovery.Get();
  REQUIRE(data.ok());
  CHECK((*data)->unavailable == std::vector<std::string>{"metrics.k8s.io/v1beta1"});
  CHECK(CountRequests(client) == 2);
}

TEST_CASE("a server answering plain JSON gets the legacy walk, an unavailable group is not fatal") {
  FakeRestClient client;
  testing::ServeLegacyDiscovery(client);
  client.routes.OnHandler("GET", "/apis/keda.sh/v1alpha1", [](const HttpRequest&) -> Result<HttpResponse> {
    return testing::FakeTransport::Json(503, R"({"kind":"Status","apiVersion":"v1","status":"Failure",)"
                                             R"("message":"the server is currently unable to handle the request",)"
                                             R"("reason":"ServiceUnavailable","code":503})");
  });
  FakeClock clock;
  Discovery discovery(client, nullptr, clock, Options());
  auto data = discovery.Get();
  REQUIRE(data.ok());
  CHECK_FALSE(discovery.served_aggregated());
  std::vector<std::string> paths;
  for (const HttpRequest& request : client.routes.requests()) paths.push_back(request.path);
  std::vector<std::string> expected = {"/api", "/apis"};
  for (const std::string& group_version : testing::LegacyGroupVersions()) {
    expected.push_back(testing::LegacyPath(group_version));
  }
  CHECK(paths == expected);
  CHECK((*data)->unavailable == std::vector<std::string>{"keda.sh/v1alpha1"});
  // The legacy walk finds what aggregated discovery finds (KEDA aside).
  DiscoveryData aggregated;
  REQUIRE(
      AddAggregatedDocument(nlohmann::json::parse(testing::ReadTestdata("discovery/aggregated_api.json")), aggregated)
          .ok());
  REQUIRE(
      AddAggregatedDocument(nlohmann::json::parse(testing::ReadTestdata("discovery/aggregated_apis.json")), aggregated)
          .ok());
  size_t without_keda = 0;
  for (const ApiResource& resource : aggregated.resources) without_keda += resource.group != "keda.sh";
  CHECK((*data)->resources.size() == without_keda);
}

TEST_CASE("discovery failures carry context") {
  FakeRestClient client;  // no routes: 404 for /api
  FakeClock clock;
  Discovery discovery(client, nullptr, clock, Options());
  auto data = discovery.Get();
  REQUIRE_FALSE(data.ok());
  CHECK(data.error().message().find("discovering the server's API resources: GET /api") == 0);
}

TEST_CASE("an unreachable server is reported in the transport's (kubectl's) words alone") {
  FakeRestClient client;
  client.routes.OnHandler("GET", "/api", [](const HttpRequest&) -> Result<HttpResponse> {
    return Error(ErrorKind::kConnection, "Unable to connect to the server: dial tcp: lookup x: no such host");
  });
  FakeClock clock;
  Discovery discovery(client, nullptr, clock, Options());
  auto data = discovery.Get();
  REQUIRE_FALSE(data.ok());
  CHECK(data.error().message() == "Unable to connect to the server: dial tcp: lookup x: no such host");
}

TEST_CASE("the disk cache is written in kubectl's layout and read back until the TTL passes") {
  FakeRestClient client;
  testing::ServeAggregatedDiscovery(client);
  FakeClock clock;
  FakeFileSystem files(clock);
  {
    Discovery discovery(client, &files, clock, Options());
    REQUIRE(discovery.Get().ok());
  }
  const std::string dir = "/home/u/.kube/cache/kubectl-llm/discovery/127.0.0.1_6443";
  CHECK(files.Exists(dir + "/servergroups.json"));
  CHECK(files.Exists(dir + "/v1/serverresources.json"));
  CHECK(files.Exists(dir + "/apps/v1/serverresources.json"));
  CHECK(files.Exists(dir + "/autoscaling/v1/serverresources.json"));
  CHECK(files.Exists(dir + "/leaderworkerset.x-k8s.io/v1/serverresources.json"));
  CHECK(CountRequests(client) == 2);

  clock.Advance(std::chrono::hours(5));
  {
    Discovery discovery(client, &files, clock, Options());  // a later process
    auto data = discovery.Get();
    REQUIRE(data.ok());
    CHECK_FALSE(discovery.fresh());
    CHECK(CountRequests(client) == 2);
    bool has_lws = false;
    for (const ApiResource& resource : (*data)->resources) has_lws |= resource.kind == "LeaderWorkerSet";
    CHECK(has_lws);
  }
  clock.Advance(std::chrono::hours(1));
  {
    Discovery discovery(client, &files, clock, Options());
    REQUIRE(discovery.Get().ok());
    CHECK(discovery.fresh());
    CHECK(CountRequests(client) == 4);
  }
}

TEST_CASE("Invalidate bypasses a fresh disk cache and rewrites it") {
  FakeRestClient client;
  testing::ServeAggregatedDiscovery(client);
  FakeClock clock;
  FakeFileSystem files(clock);
  Discovery discovery(client, &files, clock, Options());
  REQUIRE(discovery.Get().ok());
  const int writes = files.writes();
  discovery.Invalidate();
  REQUIRE(discovery.Get().ok());
  CHECK(CountRequests(client) == 4);
  CHECK(files.writes() == 2 * writes);
}

}  // namespace
}  // namespace llm::kube

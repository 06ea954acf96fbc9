#include "kube/paged_list.h"

#include <doctest/doctest.h>

#include "fakes/fake_rest_client.h"

namespace llm::kube {
namespace {
using nlohmann::json;

TEST_CASE("ForEachListPage follows continue tokens and hands over each page") {
  testing::FakeRestClient client;
  client.routes.OnHandler("GET", "/api/v1/pods", [](const HttpRequest& request) -> Result<HttpResponse> {
    if (request.path.find("continue=") == std::string::npos) {
      return testing::FakeTransport::Json(
          200, R"({"kind":"PodList","metadata":{"continue":"tok+1"},"items":[{"metadata":{"name":"a"}}]})");
    }
    return testing::FakeTransport::Json(200, R"({"kind":"PodList","metadata":{},"items":[{"metadata":{"name":"b"}}]})");
  });
  ListOptions options;
  options.limit = 1;
  options.field_selector = "status.phase!=Failed";
  std::vector<std::string> names;
  Status status = ForEachListPage(client, ResourceRef{"", "v1", "pods", "", "", ""}, options, [&](json& page) {
    for (const json& pod : page["items"]) names.push_back(pod["metadata"]["name"]);
    return Ok();
  });
  REQUIRE(status.ok());
  CHECK(names == std::vector<std::string>{"a", "b"});
  const auto& requests = client.routes.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].path == "/api/v1/pods?fieldSelector=status.phase%21%3DFailed&limit=1");
  CHECK(requests[1].path == "/api/v1/pods?fieldSelector=status.phase%21%3DFailed&limit=1&continue=tok%2B1");
}

TEST_CASE("ForEachListPage sends the resourceVersion asked for on the first page only, as a continue token fixes it") {
  testing::FakeRestClient client;
  client.routes.OnHandler("GET", "/api/v1/pods", [](const HttpRequest& request) -> Result<HttpResponse> {
    if (request.path.find("continue=") == std::string::npos) {
      return testing::FakeTransport::Json(200, R"({"kind":"PodList","metadata":{"continue":"t"},"items":[]})");
    }
    return testing::FakeTransport::Json(200, R"({"kind":"PodList","metadata":{},"items":[]})");
  });
  ListOptions options;
  options.resource_version = "0";
  REQUIRE(ForEachListPage(client, ResourceRef{"", "v1", "pods", "", "", ""}, options, [](json&) { return Ok(); }).ok());
  const auto& requests = client.routes.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].path == "/api/v1/pods?limit=500&resourceVersion=0");
  CHECK(requests[1].path == "/api/v1/pods?limit=500&continue=t");
}

TEST_CASE("ForEachListPage stops at the first error, the callback's or the server's") {
  testing::FakeRestClient client;
  client.routes.On("GET", "/api/v1/pods", testing::FakeTransport::Json(200, R"({"items":[]})"));
  Status stopped = ForEachListPage(client, ResourceRef{"", "v1", "pods", "", "", ""}, ListOptions{},
                                   [](json&) -> Status { return Error(ErrorKind::kInternal, "stop"); });
  CHECK(stopped.error().message() == "stop");
  client.routes.On(
      "GET", "/api/v1/nodes",
      testing::FakeTransport::Json(403, R"({"kind":"Status","reason":"Forbidden","message":"no","code":403})"));
  Status forbidden =
      ForEachListPage(client, ResourceRef{"", "v1", "nodes", "", "", ""}, ListOptions{}, [](json&) { return Ok(); });
  CHECK(forbidden.error().kind() == ErrorKind::kForbidden);
}

TEST_CASE("ForEachListPage asks for metadata only when told to") {
  testing::FakeRestClient client;
  client.routes.On("GET", "/api/v1/namespaces/ml/secrets",
                   testing::FakeTransport::Json(200, R"({"kind":"PartialObjectMetadataList","items":[]})"));
  auto ignore = [](json&) { return Ok(); };
  REQUIRE(ForEachListPage(client, core::Secrets("ml"), ListOptions{}, ignore, ListItems::kMetadataOnly).ok());
  REQUIRE(ForEachListPage(client, core::Secrets("ml"), ListOptions{}, ignore).ok());
  const auto& requests = client.routes.requests();
  REQUIRE(requests.size() == 2);
  REQUIRE(requests[0].headers.size() == 1);
  CHECK(requests[0].headers[0].first == "Accept");
  CHECK(requests[0].headers[0].second ==
        "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json");
  CHECK(requests[1].headers.empty());
}

}  // namespace
}  // namespace llm::kube

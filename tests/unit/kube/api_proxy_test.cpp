#include "kube/api_proxy.h"

#include <doctest/doctest.h>

#include "fakes/fake_rest_client.h"

namespace llm::kube {
namespace {

TEST_CASE("api proxy: the paths kubectl get --raw would use for a pod and a Service") {
  ProxyTarget pod{ProxyTarget::Kind::kPod, "team-a", "chat-7d9f-x2kq4", 8000};
  CHECK(pod.Path("/health") == "/api/v1/namespaces/team-a/pods/chat-7d9f-x2kq4:8000/proxy/health");
  CHECK(pod.Describe() == "pod/chat-7d9f-x2kq4");
  ProxyTarget service{ProxyTarget::Kind::kService, "team-a", "chat", 8000};
  CHECK(service.Path("/v1/models") == "/api/v1/namespaces/team-a/services/chat:8000/proxy/v1/models");
  CHECK(service.Describe() == "service/chat");
}

TEST_CASE("api proxy: only the pod and Service proxy subresources count as proxied") {
  CHECK(IsProxyPath("/api/v1/namespaces/ns/pods/p:8000/proxy/health"));
  CHECK(IsProxyPath("/api/v1/namespaces/ns/services/chat:8000/proxy/v1/models?x=1"));
  CHECK(IsProxyPath("/api/v1/namespaces/ns/pods/p/proxy"));
  CHECK_FALSE(IsProxyPath("/api/v1/namespaces/ns/pods/p"));
  CHECK_FALSE(IsProxyPath("/api/v1/namespaces/ns/pods/p/log"));
  CHECK_FALSE(IsProxyPath("/api/v1/namespaces/ns/pods/proxy"));
  CHECK_FALSE(IsProxyPath("/api/v1/namespaces/ns/configmaps/c/proxy"));
  CHECK_FALSE(IsProxyPath("/apis/apps/v1/namespaces/ns/deployments/proxy/proxy"));
}

TEST_CASE("api proxy: requests go to the proxy subresource, with their timeout") {
  testing::FakeRestClient client;
  ProxyTarget pod{ProxyTarget::Kind::kPod, "ns", "p", 8000};
  client.routes.On("GET", pod.Path("/health"), testing::FakeTransport::Json(503, "starting"));
  auto health = ProxyGet(client, pod, "/health", std::chrono::seconds(5));
  REQUIRE(health.ok());
  CHECK(health->status == 503);
  const HttpRequest& sent = client.routes.requests().at(0);
  CHECK(IsProxyPath(sent.path));
  CHECK(sent.timeout == std::chrono::seconds(5));
  CHECK(sent.method == "GET");

  client.routes.On("POST", pod.Path("/v1/completions"), testing::FakeTransport::Json(200, "{}"));
  REQUIRE(ProxyPost(client, pod, "/v1/completions", R"({"model":"m"})", std::chrono::seconds(5)).ok());
  CHECK(client.routes.requests().at(1).method == "POST");
  CHECK(client.routes.requests().at(1).body == R"({"model":"m"})");

  client.QueueStreamChunks({"data: [DONE]\n\n"});
  std::string streamed;
  REQUIRE(ProxyPostStream(client, pod, "/v1/completions", "{}", std::chrono::seconds(5), [&](std::string_view c) {
            streamed += c;
            return true;
          }).ok());
  CHECK(streamed == "data: [DONE]\n\n");
  const HttpRequest& stream = client.stream_requests().at(0);
  CHECK(IsProxyPath(stream.path));
  CHECK(stream.path == pod.Path("/v1/completions"));
  bool accepts_sse = false;
  for (const auto& [k, v] : stream.headers) accepts_sse |= k == "Accept" && v == "text/event-stream";
  CHECK(accepts_sse);
}

}  // namespace
}  // namespace llm::kube

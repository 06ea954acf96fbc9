// Discovery documents for unit tests (tests/testdata/discovery), served
// through a FakeRestClient's routes the way kube-apiserver serves them.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "fakes/fake_rest_client.h"
#include "kube/discovery.h"

namespace llm::testing {

inline std::string ReadTestdata(const std::string& relative) {
  std::ifstream in(std::string(LLM_TESTDATA_DIR) + "/" + relative, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

inline constexpr char kAggregatedContentType[] =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

inline kube::HttpResponse JsonResponse(const std::string& body, const std::string& content_type = "application/json") {
  return kube::HttpResponse{200, {{"Content-Type", content_type}}, body};
}

/// A v1.35-like server with aggregated discovery.
inline void ServeAggregatedDiscovery(FakeRestClient& client) {
  client.routes.On("GET", "/api", JsonResponse(ReadTestdata("discovery/aggregated_api.json"), kAggregatedContentType));
  client.routes.On("GET", "/apis", JsonResponse(ReadTestdata("discovery/aggregated_apis.json"), kAggregatedContentType));
}

/// An older server (or a proxy) without aggregated discovery; metrics.k8s.io is down.
inline void ServeLegacyDiscovery(FakeRestClient& client) {
  client.routes.On("GET", "/api", JsonResponse(ReadTestdata("discovery/legacy_api.json")));
  client.routes.On("GET", "/apis", JsonResponse(ReadTestdata("discovery/legacy_apis.json")));
  client.routes.On("GET", "/api/v1", JsonResponse(ReadTestdata("discovery/legacy_api_v1.json")));
  client.routes.On("GET", "/apis/apps/v1", JsonResponse(ReadTestdata("discovery/legacy_apps_v1.json")));
  client.routes.On("GET", "/apis/autoscaling/v2", JsonResponse(ReadTestdata("discovery/legacy_autoscaling_v2.json")));
  client.routes.On("GET", "/apis/autoscaling/v1", JsonResponse(ReadTestdata("discovery/legacy_autoscaling_v1.json")));
  client.routes.On("GET", "/apis/metrics.k8s.io/v1beta1",
                   FakeTransport::Json(503, R"({"kind":"Status","apiVersion":"v1","status":"Failure",)"
                                            R"("message":"the server is currently unable to handle the request",)"
                                            R"("reason":"ServiceUnavailable","code":503})"));
}

}  // namespace llm::testing

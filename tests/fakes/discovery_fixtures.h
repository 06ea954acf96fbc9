// Discovery documents for unit tests (tests/testdata/discovery), served
// through a FakeRestClient's routes the way kube-apiserver serves them.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fakes/fake_rest_client.h"
#include "kube/discovery.h"

namespace llm::testing {

inline std::string ReadTestdata(const std::string& relative) {
  std::ifstream in(std::string(LLM_TESTDATA_DIR) + "/" + relative, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

inline constexpr char kAggregatedContentType[] = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

inline kube::HttpResponse JsonResponse(const std::string& body, const std::string& content_type = "application/json") {
  return kube::HttpResponse{200, {{"Content-Type", content_type}}, body};
}

/// A v1.35-like server with aggregated discovery.
inline void ServeAggregatedDiscovery(FakeRestClient& client) {
  client.routes.On("GET", "/api", JsonResponse(ReadTestdata("discovery/aggregated_api.json"), kAggregatedContentType));
  client.routes.On("GET", "/apis",
                   JsonResponse(ReadTestdata("discovery/aggregated_apis.json"), kAggregatedContentType));
}

/// The group-versions of the captured legacy /apis document, core "v1" first.
inline std::vector<std::string> LegacyGroupVersions() {
  std::vector<std::string> out = {"v1"};
  auto groups = nlohmann::json::parse(ReadTestdata("discovery/legacy_apis.json"));
  for (const auto& group : groups["groups"]) {
    for (const auto& version : group["versions"]) out.push_back(version["groupVersion"].get<std::string>());
  }
  return out;
}

inline std::string LegacyPath(const std::string& group_version) {
  return group_version == "v1" ? "/api/v1" : "/apis/" + group_version;
}

/// The same server without aggregated discovery (an older server, or a proxy
/// that drops the Accept parameters): every document is plain JSON.
inline void ServeLegacyDiscovery(FakeRestClient& client) {
  client.routes.On("GET", "/api", JsonResponse(ReadTestdata("discovery/legacy_api.json")));
  client.routes.On("GET", "/apis", JsonResponse(ReadTestdata("discovery/legacy_apis.json")));
  for (const std::string& group_version : LegacyGroupVersions()) {
    std::string file = group_version;
    for (char& c : file) c = c == '/' ? '_' : c;
    client.routes.On("GET", LegacyPath(group_version),
                     JsonResponse(ReadTestdata("discovery/legacy/" + file + ".json")));
  }
}

}  // namespace llm::testing

// The API server's metadata-only list (PartialObjectMetadataList) of a
// namespace's Secrets, answered from a FakeRestClient's store: what
// WorkloadRevisions::List reads. Only a metadata-only request is answered (a
// list that would download payloads gets 406), so a test fails if one is made.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "fakes/fake_rest_client.h"
#include "kube/resource_ref.h"

namespace llm::testing {

inline void ServeMetadataOnlySecrets(FakeRestClient& client, const std::string& ns) {
  client.routes.OnHandler("GET", "/api/v1/namespaces/" + ns + "/secrets", [&client, ns](const kube::HttpRequest& r) {
    if (r.headers.empty() || r.headers[0].second.find("PartialObjectMetadataList") == std::string::npos) {
      return Result<kube::HttpResponse>(FakeTransport::Json(406, "{}"));
    }
    nlohmann::json items = nlohmann::json::array();
    // Held in a variable: a range-for over a temporary's member would dangle.
    const nlohmann::json stored = *client.List(kube::core::Secrets(ns), {});
    for (const nlohmann::json& item : stored["items"]) {
      items.push_back({{"kind", "PartialObjectMetadata"}, {"metadata", item["metadata"]}});
    }
    return Result<kube::HttpResponse>(FakeTransport::Json(
        200,
        nlohmann::json{{"kind", "PartialObjectMetadataList"}, {"metadata", nlohmann::json::object()}, {"items", items}}
            .dump()));
  });
}

}  // namespace llm::testing

// etcd compaction on demand: the cluster's etcd compacted up to its current
// revision through etcd's JSON gateway, so every older resourceVersion is gone
// and a watch or list from one gets 410 Gone (for a resource the API server's
// watch cache does not serve from memory, or once it relists). Shared by
// watch_integration_test.cpp and the fault suite (tests/faults).
#pragma once

#include <fstream>
#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "integration/test_cluster.h"
#include "kube/curl_transport.h"
#include "util/environment.h"

namespace llm::testing {

/// etcd's current revision and a compaction up to it, through etcd's JSON gateway.
inline void CompactEtcd() {
  std::ifstream in(TestCluster::Get().dir() + "/etcd-endpoint");
  std::string endpoint;
  std::getline(in, endpoint);
  REQUIRE_FALSE(endpoint.empty());
  kube::CurlTransportConfig config;
  config.server = endpoint;
  auto transport = kube::CurlTransport::Create(config, ProcessGetenv());
  REQUIRE(transport.ok());
  kube::HttpRequest range;
  range.method = "POST";
  range.path = "/v3/kv/range";
  range.body = R"({"key":"AA=="})";
  auto answer = (*transport)->Do(range);
  REQUIRE(answer.ok());
  REQUIRE(answer->status == 200);
  const std::string revision = nlohmann::json::parse(answer->body)["header"]["revision"].get<std::string>();
  kube::HttpRequest compact;
  compact.method = "POST";
  compact.path = "/v3/kv/compaction";
  compact.body = nlohmann::json{{"revision", revision}, {"physical", true}}.dump();
  auto compacted = (*transport)->Do(compact);
  REQUIRE(compacted.ok());
  // Nothing written since the last compaction: etcd refuses to compact the
  // same revision again, and everything older is gone already.
  const bool done =
      compacted->status == 200 || compacted->body.find("required revision has been compacted") != std::string::npos;
  REQUIRE_MESSAGE(done, compacted->body);
}

}  // namespace llm::testing

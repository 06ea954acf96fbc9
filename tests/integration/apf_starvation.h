// API Priority and Fairness, steered by a test: a FlowSchema that sends one
// ServiceAccount to a PriorityLevel with no seats of its own (so, with its one
// seat held by a StalledRequest, every request of the account gets a real
// 429), and the server's APF counters. Shared by the tests that need a 429.
#pragma once

#include <chrono>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "integration/test_cluster.h"
#include "kube/curl_transport.h"
#include "kube/rest_client.h"
#include "util/environment.h"

namespace llm::testing {

/// A PriorityLevelConfiguration with no nominal seats, nothing to borrow and
/// Reject as its limit response, and a FlowSchema that sends only the account
/// there (precedence 500 comes before every suggested schema but "exempt").
/// Both are deleted when the test ends, failed or not.
class ScopedStarvation {
 public:
  ScopedStarvation(std::string name, const std::string& ns, const std::string& account) : name_(std::move(name)) {
    nlohmann::json level = {{"apiVersion", "flowcontrol.apiserver.k8s.io/v1"},
                            {"kind", "PriorityLevelConfiguration"},
                            {"metadata", {{"name", name_}}},
                            {"spec",
                             {{"type", "Limited"},
                              {"limited",
                               {{"nominalConcurrencyShares", 0},
                                {"lendablePercent", 0},
                                {"borrowingLimitPercent", 0},
                                {"limitResponse", {{"type", "Reject"}}}}}}}};
    nlohmann::json schema = {
        {"apiVersion", "flowcontrol.apiserver.k8s.io/v1"},
        {"kind", "FlowSchema"},
        {"metadata", {{"name", name_}}},
        {"spec",
         {{"priorityLevelConfiguration", {{"name", name_}}},
          {"matchingPrecedence", 500},
          {"distinguisherMethod", {{"type", "ByUser"}}},
          {"rules",
           {{{"subjects", {{{"kind", "ServiceAccount"}, {"serviceAccount", {{"name", account}, {"namespace", ns}}}}}},
             {"resourceRules",
              {{{"verbs", {"*"}},
                {"apiGroups", {"*"}},
                {"resources", {"*"}},
                {"namespaces", {"*"}},
                {"clusterScope", true}}}},
             {"nonResourceRules", {{{"verbs", {"*"}}, {"nonResourceURLs", {"*"}}}}}}}}}}};
    nlohmann::json list = {{"apiVersion", "v1"}, {"kind", "List"}, {"items", {level, schema}}};
    applied_ = TestCluster::Get().Kubectl("admin", {"apply", "-f", "-"}, list.dump());
  }
  ~ScopedStarvation() {
    DeleteFlowSchema();
    TestCluster::Get().Kubectl("admin", {"delete", "prioritylevelconfiguration", name_, "--ignore-not-found"});
  }
  void DeleteFlowSchema() const {
    TestCluster::Get().Kubectl("admin", {"delete", "flowschema", name_, "--ignore-not-found"});
  }
  const std::string& name() const { return name_; }
  /// What `kubectl apply` said (checked by the test, so that a failure still deletes).
  const CommandOutput& applied() const { return applied_; }
  std::string LevelUid() const {
    return TestCluster::Get()
        .Kubectl("admin", {"get", "prioritylevelconfiguration", name_, "-o", "jsonpath={.metadata.uid}"})
        .out;
  }

 private:
  std::string name_;
  CommandOutput applied_;
};

/// The API server's APF gauges and counters for one priority level.
struct ApfCounters {
  double executing = 0;  ///< requests executing now
  double rejected = 0;   ///< requests answered 429 so far
};

inline ApfCounters ReadApfCounters(kube::RestClient& admin, const std::string& level) {
  kube::HttpRequest request;
  request.path = "/metrics";
  request.headers.emplace_back("Accept", "text/plain");
  auto response = admin.Do(request);
  REQUIRE_MESSAGE(response.ok(), (response.ok() ? "" : response.error().message()));
  ApfCounters counters;
  const std::string label = "priority_level=\"" + level + "\"";
  std::istringstream lines(response->body);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(label) == std::string::npos) continue;
    double value = std::stod(line.substr(line.rfind(' ') + 1));
    if (line.rfind("apiserver_flowcontrol_current_executing_requests{", 0) == 0) counters.executing += value;
    if (line.rfind("apiserver_flowcontrol_rejected_requests_total{", 0) == 0) counters.rejected += value;
  }
  return counters;
}

/// Polls `done` every 100 ms until it holds or `limit` passes.
inline bool WaitFor(std::chrono::seconds limit, const std::function<bool()>& done) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return true;
}

/// GET /version as the account, straight to the API server and once (the
/// transport alone does not retry): its answer, whose headers name the
/// priority level that served it, or a 429.
class ApfProbe {
 public:
  explicit ApfProbe(std::string token) : token_(std::move(token)) {
    kube::CurlTransportConfig config;
    config.server = TestCluster::Get().Server();
    std::ifstream ca(TestCluster::Get().dir() + "/pki/ca.crt");
    std::stringstream text;
    text << ca.rdbuf();
    config.ca_data = text.str();
    auto transport = kube::CurlTransport::Create(config, ProcessGetenv());
    REQUIRE(transport.ok());
    transport_ = std::move(*transport);
  }
  kube::HttpResponse Get() const {
    kube::HttpRequest request;
    request.path = "/version";
    request.headers.emplace_back("Authorization", "Bearer " + token_);
    request.timeout = std::chrono::seconds(10);
    auto response = transport_->Do(request);
    REQUIRE_MESSAGE(response.ok(), (response.ok() ? "" : response.error().message()));
    return *response;
  }

 private:
  std::string token_;
  std::unique_ptr<kube::CurlTransport> transport_;
};

}  // namespace llm::testing

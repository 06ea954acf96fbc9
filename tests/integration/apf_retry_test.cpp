// API Priority and Fairness against the real kube-apiserver. A FlowSchema sends
// one ServiceAccount to a PriorityLevel with no seats of its own that rejects
// rather than queues. APF still runs one request at a time there (a request
// wider than the limit may run when nothing else does), so a StalledRequest
// holds that one seat and every other request of the account gets a real 429
// with Retry-After. The cluster's kubectl shows the 429 is the server's;
// kubectl-llm retries it, waiting as asked, and succeeds once the FlowSchema
// is deleted. Progress is read from the server's own APF metrics, not from
// sleeps, so the test does not depend on timing.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "integration/apf_starvation.h"
#include "integration/kube_client.h"
#include "integration/stalled_request.h"
#include "integration/test_cluster.h"
#include "integration/token_kubeconfig.h"
#include "kube/curl_transport.h"
#include "util/environment.h"

namespace llm::testing {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kAccount = "starved";

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// Status codes of the `-v=6` response lines kubectl-llm logged for GET `url`, in order.
std::vector<int> LoggedStatuses(const std::string& log, const std::string& url) {
  std::vector<int> statuses;
  std::istringstream lines(log);
  const std::string prefix = "GET " + url + " ";
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(prefix, 0) == 0) statuses.push_back(std::atoi(line.c_str() + prefix.size()));
  }
  return statuses;
}

TEST_CASE("APF starves a ServiceAccount with real 429s and kubectl-llm retries them until the FlowSchema is deleted") {
  const TestCluster& cluster = TestCluster::Get();
  const std::string suffix = std::to_string(::getpid());
  ScopedNamespace ns("apf-retry-" + suffix);
  CommandOutput account = cluster.Kubectl("admin", {"create", "serviceaccount", kAccount, "-n", ns.name()});
  REQUIRE_MESSAGE(account.exit_code == 0, account.err);
  CommandOutput issued = cluster.Kubectl("admin", {"create", "token", kAccount, "-n", ns.name(), "--duration=10m"});
  REQUIRE_MESSAGE(issued.exit_code == 0, issued.err);
  const std::string token = issued.out.substr(0, issued.out.find_last_not_of("\n") + 1);
  ScopedTokenKubeconfig kubeconfig("apf-retry-" + suffix, ns.name(), token);
  ScopedStarvation starvation("kubectl-llm-apf-retry-" + suffix, ns.name(), kAccount);
  REQUIRE_MESSAGE(starvation.applied().exit_code == 0, starvation.applied().err);
  const std::string level_uid = starvation.LevelUid();
  REQUIRE(!level_uid.empty());

  const std::string server = cluster.Server();
  const std::string ca_file = cluster.dir() + "/pki/ca.crt";
  Cluster admin;  // reads /metrics; admin is exempt from APF, so it never competes for the seat
  const ApfProbe apf_probe(token);
  auto probe = [&] { return apf_probe.Get(); };

  // The API server applies a new FlowSchema when its APF controller syncs;
  // its response headers say which priority level served a request.
  REQUIRE_MESSAGE(WaitFor(30s,
                          [&] {
                            kube::HttpResponse r = probe();
                            return r.status == 200 && r.Header("X-Kubernetes-PF-PriorityLevel-UID") == level_uid;
                          }),
                  "the account's requests never reached priority level ", starvation.name());

  // Take the seat. The probe's seat may still be in use for a moment after
  // its response arrived; if the stalled request is rejected for that, try again.
  std::unique_ptr<StalledRequest> holder;
  ApfCounters counters;
  bool held = false;
  for (int attempt = 0; attempt < 3 && !held; ++attempt) {
    holder.reset();
    double rejected_before = ReadApfCounters(*admin.client, starvation.name()).rejected;
    holder =
        std::make_unique<StalledRequest>(server + "/apis/authentication.k8s.io/v1/selfsubjectreviews", ca_file, token);
    WaitFor(10s, [&] {
      counters = ReadApfCounters(*admin.client, starvation.name());
      return counters.executing >= 1 || counters.rejected > rejected_before;
    });
    held = counters.executing == 1 && counters.rejected == rejected_before;
  }
  REQUIRE_MESSAGE(held, "the stalled request never held the priority level's seat");

  // While it is held, the account's requests are rejected by APF itself.
  kube::HttpResponse rejected = probe();
  CHECK(rejected.status == 429);
  CHECK(rejected.Header("X-Kubernetes-PF-PriorityLevel-UID") == level_uid);
  const std::string retry_after = rejected.Header("Retry-After");
  CHECK_MESSAGE((!retry_after.empty() && std::stoi(retry_after) >= 1), "Retry-After: ", retry_after);

  // (1) The cluster's own kubectl gets the 429s too (client-go retries them
  // about 10 times, a second apart, then gives up).
  CommandOutput kubectl = cluster.Kubectl(kubeconfig.user(), {"get", "--raw", "/version", "-v=6"});
  INFO("kubectl stderr:\n", kubectl.err);
  CHECK(kubectl.exit_code == 1);
  CHECK(Contains(kubectl.err, "429 Too Many Requests"));
  CHECK(Contains(kubectl.err,
                 "Error from server (TooManyRequests): the server has received too many requests and "
                 "has asked us to try again later"));

  // (2) kubectl-llm retries. Once the server has rejected it twice (so it
  // has retried at least once), the FlowSchema goes and its next try is served
  // by the suggested "service-accounts" schema; the seat stays held meanwhile.
  double rejected_before = ReadApfCounters(*admin.client, starvation.name()).rejected;
  auto started = std::chrono::steady_clock::now();
  auto plugin = std::async(std::launch::async, [&] {
    return cluster.Plugin(kubeconfig.user(), {"version", "-o", "json", "-v=6"});
  });
  bool retried_while_starved =
      WaitFor(30s, [&] { return ReadApfCounters(*admin.client, starvation.name()).rejected >= rejected_before + 2; });
  starvation.DeleteFlowSchema();
  CommandOutput r = plugin.get();
  auto elapsed = std::chrono::steady_clock::now() - started;
  counters = ReadApfCounters(*admin.client, starvation.name());
  holder->Release();

  CHECK(retried_while_starved);
  CHECK_MESSAGE(counters.executing == 1, "the seat was not held for the whole run");
  INFO("kubectl-llm stderr:\n", r.err);
  CHECK(r.exit_code == 0);
  json doc = json::parse(r.out, nullptr, false);
  CHECK((doc.is_object() && doc.contains("serverVersion") && !doc["serverVersion"].value("gitVersion", "").empty()));
  // Every try is logged: 429s while starved, then the 200.
  std::vector<int> statuses = LoggedStatuses(r.err, server + "/version");
  REQUIRE(statuses.size() >= 3);
  CHECK(statuses.back() == 200);
  for (size_t i = 0; i + 1 < statuses.size(); ++i) CHECK(statuses[i] == 429);
  // Each retry waited at least the Retry-After the server sent (>= 1 s). A
  // lower bound, so not a timing race: without Retry-After the first waits
  // would be 250 ms and 500 ms.
  CHECK(elapsed >= std::chrono::seconds(static_cast<long>(statuses.size()) - 1));
}

}  // namespace
}  // namespace llm::testing

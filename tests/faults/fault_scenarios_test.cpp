// The fault scenarios, one test case each (faults/README.md has the table):
// toxiproxy's toxics between the plugin and the real API server, the API
// server killed and started again, etcd compacted under a watch, and real
// 429s from API Priority and Fairness. fault_harness.h says how each cell of
// scenario x command is judged.
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "faults/api_server_restart.h"
#include "faults/expiring_exec_credential.h"
#include "faults/fault_harness.h"
#include "integration/apf_starvation.h"
#include "integration/etcd_compaction.h"
#include "integration/stalled_request.h"
#include "integration/test_cluster.h"
#include "integration/token_kubeconfig.h"

namespace llm::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

/// A toxic on both directions for the scenario's window.
Scenario Toxic(std::string name, std::string fault, Moment moment, std::chrono::milliseconds window, std::string type,
               json attributes) {
  return {std::move(name),
          std::move(fault),
          moment,
          window,
          [type, attributes](FaultContext& f) {
            f.proxy.AddToxic("down", type, "downstream", attributes);
            f.proxy.AddToxic("up", type, "upstream", attributes);
          },
          [](FaultContext& f) { f.proxy.Heal(); }};
}

/// Makes the API server send something on every open watch and stream of the
/// scenario now (an annotation on the Deployment, the Job and the self-test
/// pods; a line in the containers' log), so a toxic that acts on data reaches them.
void NudgeWatches(const std::string& ns) {
  const TestCluster& cluster = TestCluster::Get();
  const std::string nudge = "kubectl-llm.test/nudge=" + std::to_string(::time(nullptr));
  cluster.Kubectl("admin", {"-n", ns, "annotate", "--overwrite", "deployment", "s", nudge});
  cluster.Kubectl("admin", {"-n", ns, "annotate", "--overwrite", "job", "t", nudge});
  cluster.Kubectl("admin",
                  {"-n", ns, "annotate", "--overwrite", "pods", "-l", "app.kubernetes.io/component=gpu-check", nudge});
  char stamp[32];
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
  std::ofstream(cluster.dir() + "/container-logs/current.log", std::ios::app)
      << stamp << " stdout F fault suite nudge\n";
}

/// Before a rerun after an API server restart: a control plane that acts
/// again, so that the rerun is judged on what the plugin does.
void SettleAfterRestart(FaultContext& f) {
  const std::chrono::seconds took = RestartControllers(f.ns);
  MESSAGE("the controllers, restarted, acted on new objects after ", took.count(), " s");
}

TEST_SUITE("faults") {
  TEST_CASE("latency: 500 ms added to every packet both ways, for the whole run") {
    RunAsAdmin(Toxic("latency", "toxiproxy latency 500 ms each way, whole run", Moment::kFromStart, 0ms, "latency",
                     {{"latency", 500}, {"jitter", 0}}));
  }

  TEST_CASE("reset mid-request: every connection that carries data is reset (RST) for the first 2 s") {
    RunAsAdmin(Toxic("reset-request", "toxiproxy reset_peer both ways, 0-2 s", Moment::kFromStart, 2000ms, "reset_peer",
                     {{"timeout", 0}}));
  }

  TEST_CASE("reset mid-watch: 1.5 s into the wait every open watch is reset (RST), and new connections for 1.5 s") {
    Scenario reset = Toxic("reset-watch", "toxiproxy reset_peer both ways, 1.5 s into the wait, for 1.5 s",
                           Moment::kDuringWait, 1500ms, "reset_peer", {{"timeout", 0}});
    auto add_toxics = reset.strike;
    reset.strike = [add_toxics](FaultContext& f) {
      add_toxics(f);
      NudgeWatches(f.ns);
    };
    RunAsAdmin(reset);
  }

  TEST_CASE("stall: nothing passes either way for 8 s from the start, then the stalled connections close") {
    RunAsAdmin(Toxic("stall", "toxiproxy timeout 0 both ways, 0-8 s", Moment::kFromStart, 8000ms, "timeout",
                     {{"timeout", 0}}));
  }

  TEST_CASE("bandwidth: 32 KB/s each way for the whole run") {
    RunAsAdmin(Toxic("bandwidth", "toxiproxy bandwidth 32 KB/s each way, whole run", Moment::kFromStart, 0ms,
                     "bandwidth", {{"rate", 32}}));
  }

  TEST_CASE("API server killed as the first write is answered, while the others are in flight, started 2 s later") {
    // 200 ms each way keeps the apply's next request in flight when the kill lands.
    auto argv = std::make_shared<std::vector<std::string>>();
    Scenario restart{"restart-apply",
                     "kube-apiserver SIGKILL once the first write is answered (200 ms latency each way), started "
                     "again 2 s later",
                     Moment::kDuringApply,
                     2000ms,
                     [argv](FaultContext&) { *argv = KillApiServer(); },
                     [argv](FaultContext& f) {
                       StartApiServer(*argv);
                       f.proxy.Heal();
                     },
                     [](FaultContext& f) {
                       f.proxy.AddToxic("slow-down", "latency", "downstream", {{"latency", 200}, {"jitter", 0}});
                       f.proxy.AddToxic("slow-up", "latency", "upstream", {{"latency", 200}, {"jitter", 0}});
                     },
                     SettleAfterRestart};
    RunAsAdmin(restart);
  }

  TEST_CASE("exec credential expires: the server rejects the plugin's token 1.5 s into the wait, a new one follows") {
    FaultProxy proxy("kubectl-llm-exec-expiry");
    ExpiringExecCredential credential(proxy, "fault-exec");
    Scenario expiry{"exec-expiry",
                    "the exec plugin's token rejected (401) 1.5 s into the wait, every connection closed; the "
                    "plugin's next run gives a good one",
                    Moment::kDuringWait,
                    0ms,
                    [&credential](FaultContext&) { credential.Revoke(); },
                    [](FaultContext&) {},
                    [&credential](FaultContext&) { credential.Queue(); }};
    FaultContext fault{proxy, credential.user(), ""};
    const int calls_before = credential.Calls();
    std::vector<Cell> row = RunScenario(expiry, fault);
    // status and scale start with the revoked token: they pass only by
    // running the plugin again after the server's 401, as client-go does.
    REQUIRE(row.size() >= 4);
    CHECK_MESSAGE(row[2].detail.find("401") != std::string::npos, row[2].detail);
    CHECK_MESSAGE(row[3].detail.find("401") != std::string::npos, row[3].detail);
    CHECK(credential.Calls() > calls_before);
  }

  TEST_CASE("API server killed 1.5 s into the wait and started again 2 s later") {
    auto argv = std::make_shared<std::vector<std::string>>();
    RunAsAdmin({"restart-wait", "kube-apiserver SIGKILL 1.5 s into the wait, started again 2 s later",
                Moment::kDuringWait, 2000ms, [argv](FaultContext&) { *argv = KillApiServer(); },
                [argv](FaultContext&) { StartApiServer(*argv); }, nullptr, SettleAfterRestart});
  }

  TEST_CASE(
      "410 Gone: etcd compacted during the wait and every connection dropped, so watches resume from a compacted "
      "version") {
    RunAsAdmin({"compaction-410", "etcd compacted, proxy disabled 1 s (1.5 s into the wait)", Moment::kDuringWait,
                1000ms,
                [](FaultContext& f) {
                  CompactEtcd();
                  f.proxy.SetEnabled(false);
                },
                [](FaultContext& f) { f.proxy.Heal(); }});
  }

  TEST_CASE("APF: every request of the user answered 429 by the server for the first 3 s") {
    const TestCluster& cluster = TestCluster::Get();
    const std::string suffix = std::to_string(::getpid());
    const std::string account = "starved-faults";
    cluster.Kubectl("admin", {"create", "serviceaccount", account, "-n", "default"});
    const std::string binding = "kubectl-llm-faults-" + suffix;
    REQUIRE(cluster
                .Kubectl("admin", {"create", "clusterrolebinding", binding, "--clusterrole=cluster-admin",
                                   "--serviceaccount=default:" + account})
                .exit_code == 0);
    CommandOutput issued = cluster.Kubectl("admin", {"create", "token", account, "-n", "default", "--duration=1h"});
    REQUIRE_MESSAGE(issued.exit_code == 0, issued.err);
    const std::string token = issued.out.substr(0, issued.out.find_last_not_of('\n') + 1);
    FaultProxy proxy("kubectl-llm-apf");
    ScopedTokenKubeconfig kubeconfig("fault-starved", "default", token, proxy.server());

    const std::string ca_file = cluster.dir() + "/pki/ca.crt";
    const ApfProbe probe(token);
    // Before each command: the FlowSchema in force (the server names the level
    // that served the account) and the level's one seat held by a stalled
    // request, so every request of the command is answered 429 until the heal
    // deletes the FlowSchema and lets the seat go.
    auto starvation = std::make_shared<std::unique_ptr<ScopedStarvation>>();
    auto holder = std::make_shared<std::unique_ptr<StalledRequest>>();
    Scenario scenario{
        "apf-429",
        "APF: a zero-seat level whose seat is held, 0-3 s",
        Moment::kFromStart,
        3000ms,
        [](FaultContext&) {},
        [starvation, holder](FaultContext&) {
          if (*starvation) (*starvation)->DeleteFlowSchema();
          if (*holder) (*holder)->Release();
          starvation->reset();
          holder->reset();
        },
        [&, starvation, holder](FaultContext&) {
          *starvation = std::make_unique<ScopedStarvation>("kubectl-llm-faults-" + suffix, "default", account);
          REQUIRE_MESSAGE((*starvation)->applied().exit_code == 0, (*starvation)->applied().err);
          const std::string level = (*starvation)->LevelUid();
          REQUIRE_MESSAGE(
              WaitFor(30s, [&] { return probe.Get().Header("X-Kubernetes-PF-PriorityLevel-UID") == level; }),
              "the FlowSchema never took effect");
          *holder = std::make_unique<StalledRequest>(
              cluster.Server() + "/apis/authentication.k8s.io/v1/selfsubjectreviews", ca_file, token);
          REQUIRE_MESSAGE(WaitFor(15s, [&] { return probe.Get().status == 429; }),
                          "the account's requests were never answered 429");
        }};
    FaultContext fault{proxy, kubeconfig.user(), ""};
    RunScenario(scenario, fault);
    cluster.Kubectl("admin", {"delete", "clusterrolebinding", binding, "--ignore-not-found"});
    cluster.Kubectl("admin", {"delete", "serviceaccount", account, "-n", "default", "--ignore-not-found"});
  }

}  // TEST_SUITE

}  // namespace
}  // namespace llm::testing

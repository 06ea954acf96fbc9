// A CRD served with no controller behind it, as clusters have it when a
// controller is down or was never installed: the real JobSet (or
// LeaderWorkerSet) controller manager stopped (tests/cluster/controllers.sh
// stop, which also removes its webhooks, as an uninstall would), then `train
// --wait` (`serve --nodes 2 --wait`) and `doctor` must name the controller that
// did not act, well before the timeout; started again, the same object is
// reconciled and the wait succeeds.
#include <chrono>
#include <string>

#include <doctest/doctest.h>

#include "integration/kube_client.h"
#include "integration/test_cluster.h"

namespace llm::testing {
namespace {

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

constexpr const char* kNotRunning =
    "the JobSet controller did not act on it and is not running: there is no Deployment "
    "jobset-system/jobset-controller-manager, and there is no leader election Lease "
    "jobset-system/6d4f6a47.jobset.x-k8s.io (kubectl get deployment,pods -n jobset-system)";

TEST_CASE("controller missing: train --wait on a JobSet names the stopped JobSet controller before the timeout") {
  const TestCluster& cluster = TestCluster::Get();
  CommandOutput stopped = cluster.Controller("stop", "jobset");
  REQUIRE_MESSAGE(stopped.exit_code == 0, stopped.err);
  ScopedNamespace ns("controller-missing");

  CommandOutput doctor = cluster.Plugin("admin", {"doctor", "-n", ns.name()});
  CHECK(doctor.exit_code == 1);
  CHECK_MESSAGE(Contains(doctor.out, "[ok]   JobSet (sigs.k8s.io/jobset) installed"), doctor.out);
  CHECK_MESSAGE(Contains(doctor.out,
                         "[fail] JobSet controller is not running: there is no Deployment "
                         "jobset-system/jobset-controller-manager, and there is no leader election Lease "
                         "jobset-system/6d4f6a47.jobset.x-k8s.io (kubectl get deployment,pods -n jobset-system)\n"),
                doctor.out);

  const std::vector<std::string> train = {"train",   "js",        "-n",      ns.name(), "--backend",       "jobset",
                                          "--image", "reg/img:1", "--nodes", "2",       "--gpus-per-node", "1",
                                          "--wait",  "--timeout", "3m",      "--",      "python",          "train.py"};
  const auto start = std::chrono::steady_clock::now();
  CommandOutput waited = cluster.Plugin("admin", train);
  const auto took = std::chrono::steady_clock::now() - start;
  CHECK(waited.exit_code == 4);
  CHECK_MESSAGE(Contains(waited.out, "jobset.jobset.x-k8s.io/js created\n"), waited.out);
  CHECK_MESSAGE(Contains(waited.err, "jobsets.jobset.x-k8s.io/js has no status and no pods 20s after it was applied: " +
                                         std::string(kNotRunning)),
                waited.err);
  // Said once the 20 s grace period passed, not at the 3 minute timeout.
  CHECK(took < std::chrono::seconds(60));

  // The controller back: it reconciles the JobSet that waited, and the wait succeeds.
  CommandOutput started = cluster.Controller("start", "jobset");
  REQUIRE_MESSAGE(started.exit_code == 0, started.err);
  CommandOutput again = cluster.Plugin("admin", train);
  CHECK_MESSAGE(again.exit_code == 0, again.err);
  CHECK((Contains(again.out, "jobset \"js\": all 1 jobs running") || Contains(again.out, "jobset \"js\" completed")));
  CHECK(cluster.Plugin("admin", {"delete", "js", "-n", ns.name()}).exit_code == 0);
}

TEST_CASE(
    "controller missing: serve --nodes 2 --wait names the stopped LeaderWorkerSet controller before the timeout") {
  const TestCluster& cluster = TestCluster::Get();
  CommandOutput stopped = cluster.Controller("stop", "lws");
  REQUIRE_MESSAGE(stopped.exit_code == 0, stopped.err);
  ScopedNamespace ns("controller-missing-lws");
  const std::string not_running =
      "the LeaderWorkerSet controller did not act on it and is not running: there is no Deployment "
      "lws-system/lws-controller-manager, and there is no leader election Lease lws-system/b8b2488c.x-k8s.io "
      "(kubectl get deployment,pods -n lws-system)";

  CommandOutput doctor = cluster.Plugin("admin", {"doctor", "-n", ns.name()});
  CHECK(doctor.exit_code == 1);
  CHECK_MESSAGE(Contains(doctor.out,
                         "[fail] LeaderWorkerSet controller is not running: there is no Deployment "
                         "lws-system/lws-controller-manager"),
                doctor.out);

  const std::vector<std::string> serve = {"serve", "big",     "-n", ns.name(), "--model",   "org/m", "--gpus",
                                          "1",     "--nodes", "2",  "--wait",  "--timeout", "3m"};
  const auto start = std::chrono::steady_clock::now();
  CommandOutput waited = cluster.Plugin("admin", serve);
  const auto took = std::chrono::steady_clock::now() - start;
  CHECK(waited.exit_code == 4);
  CHECK_MESSAGE(Contains(waited.out, "leaderworkerset.leaderworkerset.x-k8s.io/big created\n"), waited.out);
  CHECK_MESSAGE(Contains(waited.err,
                         "leaderworkersets.leaderworkerset.x-k8s.io/big has no status and no pods 20s after "
                         "it was applied: " +
                             not_running),
                waited.err);
  CHECK(took < std::chrono::seconds(60));  // after the 20 s grace period, not at the 3 minute timeout

  CommandOutput started = cluster.Controller("start", "lws");
  REQUIRE_MESSAGE(started.exit_code == 0, started.err);
  CommandOutput again = cluster.Plugin("admin", serve);
  CHECK_MESSAGE(again.exit_code == 0, again.err);
  CHECK_MESSAGE(Contains(again.out, "leaderworkerset \"big\" successfully rolled out"), again.out);
  CHECK(cluster.Plugin("admin", {"delete", "big", "-n", ns.name()}).exit_code == 0);
}

}  // namespace
}  // namespace llm::testing

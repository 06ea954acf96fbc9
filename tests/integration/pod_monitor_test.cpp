// serve --monitor against the real API server with the Prometheus Operator's
// real CRDs (PodMonitor, Prometheus; tests/cluster/build.sh collects them):
// the PodMonitor takes the labels of the Prometheus that selects it, or the
// command warns which label is missing. No operator runs: which Prometheus
// would select the PodMonitor is judged from the Prometheus objects, as the
// operator judges it. The rendered PodMonitor's strict server-side dry run is
// render_server_validation_test's (golden serve-*-monitor.yaml).
#include <algorithm>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "integration/kube_client.h"
#include "integration/test_cluster.h"

namespace llm::testing {
namespace {

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

void ApplyPrometheus(const std::string& ns, const std::string& name, const std::string& spec) {
  const std::string manifest = "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata:\n  name: " + name +
                               "\n  namespace: " + ns + "\nspec:\n" + spec;
  CommandOutput applied = TestCluster::Get().Kubectl("admin", {"apply", "--server-side", "-f", "-"}, manifest);
  REQUIRE_MESSAGE(applied.exit_code == 0, applied.err);
}

std::string PodMonitorLabel(const std::string& ns, const std::string& key) {
  CommandOutput got = TestCluster::Get().Kubectl(
      "admin", {"-n", ns, "get", "podmonitor", "chat", "-o", "jsonpath={.metadata.labels." + key + "}"});
  REQUIRE_MESSAGE(got.exit_code == 0, got.err);
  return got.out;
}

TEST_CASE("serve --monitor: a Prometheus selecting release: kps puts release=kps on the PodMonitor") {
  ScopedNamespace ns("monitor-kps");
  // Its own namespace only (no podMonitorNamespaceSelector), so no other test's namespace is watched.
  ApplyPrometheus(ns.name(), "kps", "  podMonitorSelector:\n    matchLabels:\n      release: kps\n");
  CommandOutput served =
      TestCluster::Get().Plugin("admin", {"serve", "chat", "-n", ns.name(), "--model", "org/m", "--monitor"});
  REQUIRE_MESSAGE(served.exit_code == 0, served.err);
  CHECK(Contains(served.out, "podmonitor.monitoring.coreos.com/chat created\n"));
  CHECK(Contains(served.err, "Note: PodMonitor chat will be picked up by Prometheus " + ns.name() +
                                 "/kps (labelled release=kps for its spec.podMonitorSelector)\n"));
  CHECK_FALSE(Contains(served.err, "Warning:"));
  CHECK(PodMonitorLabel(ns.name(), "release") == "kps");

  // diff renders the same labels, so it sees no change.
  CommandOutput diff =
      TestCluster::Get().Plugin("admin", {"diff", "serve", "chat", "-n", ns.name(), "--model", "org/m", "--monitor"});
  CHECK_MESSAGE(diff.exit_code == 0, diff.out << diff.err);
}

TEST_CASE("serve --monitor: without a Prometheus that selects it, a warning naming what is missing") {
  ScopedNamespace ns("monitor-unselected");
  ScopedNamespace monitoring("monitor-prometheus");
  ApplyPrometheus(monitoring.name(), "own", "  podMonitorSelector:\n    matchLabels:\n      release: kps\n");
  ApplyPrometheus(monitoring.name(), "team",
                  "  podMonitorSelector:\n    matchLabels:\n      release: kps\n"
                  "  podMonitorNamespaceSelector:\n    matchLabels:\n      monitoring: enabled\n");
  CommandOutput served =
      TestCluster::Get().Plugin("admin", {"serve", "chat", "-n", ns.name(), "--model", "org/m", "--monitor"});
  REQUIRE_MESSAGE(served.exit_code == 0, served.err);
  CHECK(Contains(served.err, "Warning: no Prometheus will pick up PodMonitor chat: "));
  CHECK(Contains(served.err, "Prometheus " + monitoring.name() + "/own watches PodMonitors only in its own namespace " +
                                 monitoring.name() + " (its spec.podMonitorNamespaceSelector is not set)"));
  CHECK(Contains(served.err, "Prometheus " + monitoring.name() +
                                 "/team watches PodMonitors only in namespaces labelled monitoring=enabled (its "
                                 "spec.podMonitorNamespaceSelector); namespace " +
                                 ns.name() + " lacks monitoring=enabled"));
  CHECK(PodMonitorLabel(ns.name(), "release").empty());

  // With the namespace labelled as the selector asks, the next serve is picked up.
  REQUIRE(TestCluster::Get().Kubectl("admin", {"label", "namespace", ns.name(), "monitoring=enabled"}).exit_code == 0);
  CommandOutput again =
      TestCluster::Get().Plugin("admin", {"serve", "chat", "-n", ns.name(), "--model", "org/m", "--monitor"});
  REQUIRE_MESSAGE(again.exit_code == 0, again.err);
  CHECK(Contains(again.err, "Note: PodMonitor chat will be picked up by Prometheus " + monitoring.name() + "/team"));
  CHECK(PodMonitorLabel(ns.name(), "release") == "kps");
}

TEST_CASE("serve --autoscale-metric asks the Prometheus found in the cluster, unless --prometheus-url says") {
  ScopedNamespace ns("monitor-keda-address");
  ApplyPrometheus(ns.name(), "kps", "  podMonitorSelector:\n    matchLabels:\n      release: kps\n");
  const std::vector<std::string> serve = {"serve", "chat",      "-n",          ns.name(), "--model",
                                          "org/m", "--monitor", "--autoscale", "1:2",     "--autoscale-metric",
                                          "queue"};
  CommandOutput served = TestCluster::Get().Plugin("admin", serve);
  REQUIRE_MESSAGE(served.exit_code == 0, served.err);
  const std::string url = "http://prometheus-operated." + ns.name() + ".svc:9090";
  CHECK(Contains(served.err, "Note: ScaledObject chat asks Prometheus " + ns.name() + "/kps at " + url +
                                 " (--prometheus-url chooses another)\n"));
  auto server_address = [&] {
    return TestCluster::Get()
        .Kubectl("admin", {"-n", ns.name(), "get", "scaledobject", "chat", "-o",
                           "jsonpath={.spec.triggers[0].metadata.serverAddress}"})
        .out;
  };
  CHECK(server_address() == url);
  // diff finds the same address, so it sees no change.
  std::vector<std::string> diff = serve;
  diff.insert(diff.begin(), "diff");
  CommandOutput same = TestCluster::Get().Plugin("admin", diff);
  CHECK_MESSAGE(same.exit_code == 0, same.out << same.err);

  // Without --monitor, which looks for a Prometheus for its PodMonitor.
  std::vector<std::string> given = serve;
  given.erase(std::find(given.begin(), given.end(), "--monitor"));
  given.insert(given.end(), {"--prometheus-url", "http://prom.example:9090", "-v=6"});
  CommandOutput again = TestCluster::Get().Plugin("admin", given);
  REQUIRE_MESSAGE(again.exit_code == 0, again.err);
  CHECK_FALSE(Contains(again.err, "ScaledObject chat asks"));
  CHECK(server_address() == "http://prom.example:9090");
  // The user's own address: no Prometheus is looked for.
  CHECK_MESSAGE(!Contains(again.err, "/prometheuses"), again.err);
}

}  // namespace
}  // namespace llm::testing

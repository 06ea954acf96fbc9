// Who owns the replica count: `scale`, kubectl scale or an autoscaler set it
// through the scale subresource, and re-running serve must neither fail on the
// field conflict nor reset the count; an explicit --replicas (or --autoscale's
// bounds) is the user's word and is taken. Against the real API server's
// server-side apply and the real HorizontalPodAutoscaler controller.
#include <chrono>
#include <thread>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "integration/kube_client.h"
#include "integration/test_cluster.h"

namespace llm::testing {
namespace {

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

CommandOutput Llm(std::vector<std::string> args) { return TestCluster::Get().Plugin("admin", args); }

std::vector<std::string> With(std::vector<std::string> base, const std::vector<std::string>& extra) {
  base.insert(base.end(), extra.begin(), extra.end());
  return base;
}

std::string Jsonpath(const std::string& ns, const std::string& object, const std::string& path) {
  return TestCluster::Get().Kubectl("admin", {"-n", ns, "get", object, "-o", "jsonpath={" + path + "}"}).out;
}

/// Polls (the test's own loop) until `object`'s `path` reads `want`; returns the last value.
std::string WaitForValue(const std::string& ns, const std::string& object, const std::string& path,
                         const std::string& want, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  std::string value;
  while (std::chrono::steady_clock::now() < deadline) {
    value = Jsonpath(ns, object, path);
    if (value == want) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  return value;
}

TEST_CASE("serve after scale keeps the count scale set, --replicas sets it, conflicts name flags that exist") {
  ScopedNamespace ns("replica-ownership");
  const std::vector<std::string> base = {"serve", "chat",   "-n", ns.name(), "--model",
                                         "org/m", "--gpus", "1",  "--cpu",   "1"};

  CommandOutput first = Llm(base);
  REQUIRE_MESSAGE(first.exit_code == 0, first.err);
  CHECK(Jsonpath(ns.name(), "deployment/chat", ".spec.replicas") == "1");
  CommandOutput scaled = Llm({"scale", "chat", "--replicas", "3", "-n", ns.name()});
  REQUIRE_MESSAGE(scaled.exit_code == 0, scaled.err);

  // Another flag changed, no --replicas: applied, and the count stays 3.
  CommandOutput again = Llm(With(base, {"--env", "LOG_LEVEL=debug"}));
  CHECK_MESSAGE(again.exit_code == 0, again.err);
  CHECK(Contains(again.out, "deployment.apps/chat configured\n"));
  CHECK(Jsonpath(ns.name(), "deployment/chat", ".spec.replicas") == "3");
  // And unchanged the next time: nothing fights over the field.
  CommandOutput steady = Llm(With(base, {"--env", "LOG_LEVEL=debug"}));
  CHECK_MESSAGE(steady.exit_code == 0, steady.err);
  CHECK(Contains(steady.out, "deployment.apps/chat unchanged\n"));

  // kubectl scale owns it now (manager "kubectl"): still kept.
  REQUIRE(
      TestCluster::Get().Kubectl("admin", {"-n", ns.name(), "scale", "deployment/chat", "--replicas=2"}).exit_code ==
      0);
  CommandOutput kept = Llm(base);
  CHECK_MESSAGE(kept.exit_code == 0, kept.err);
  CHECK(Jsonpath(ns.name(), "deployment/chat", ".spec.replicas") == "2");

  // An explicit --replicas is the user's word: set, although `scale` held the field.
  CommandOutput explicit_one = Llm(With(base, {"--replicas", "1"}));
  CHECK_MESSAGE(explicit_one.exit_code == 0, explicit_one.err);
  CHECK(Jsonpath(ns.name(), "deployment/chat", ".spec.replicas") == "1");

  // A conflict on another field stands: the hint names --force-conflicts, a flag serve has.
  REQUIRE(TestCluster::Get()
              .Kubectl("admin", {"-n", ns.name(), "set", "env", "deployment/chat", "LOG_LEVEL=warning"})
              .exit_code == 0);
  CommandOutput conflict = Llm(With(base, {"--env", "LOG_LEVEL=debug"}));
  CHECK(conflict.exit_code == 1);
  CHECK(Contains(conflict.err, "conflict"));
  CHECK(Contains(conflict.err, "--force-conflicts"));
  CHECK(Contains(Llm({"serve", "--help"}).out, "--force-conflicts"));
  CommandOutput forced = Llm(With(base, {"--env", "LOG_LEVEL=debug", "--force-conflicts"}));
  CHECK_MESSAGE(forced.exit_code == 0, forced.err);
  CHECK(Contains(Jsonpath(ns.name(), "deployment/chat", ".spec.template.spec.containers[0].env"), "debug"));

  // --field-manager names the manager of the apply (the ApplySet parent stays the tool's).
  CommandOutput managed =
      Llm(With(base, {"--env", "LOG_LEVEL=debug", "--field-manager", "ci-pipeline", "--force-conflicts"}));
  CHECK_MESSAGE(managed.exit_code == 0, managed.err);
  CHECK(Contains(Jsonpath(ns.name(), "deployment/chat", ".metadata.managedFields[*].manager"), "ci-pipeline"));
  CHECK(Llm({"delete", "chat", "-n", ns.name()}).exit_code == 0);
}

TEST_CASE("serve --autoscale again keeps the count the HorizontalPodAutoscaler set, and takes back its bounds") {
  ScopedNamespace ns("replica-autoscaled");
  const std::vector<std::string> base = {"serve",  "auto", "-n",    ns.name(), "--model",     "org/m",
                                         "--gpus", "1",    "--cpu", "1",       "--autoscale", "2:4"};
  CommandOutput first = Llm(base);
  REQUIRE_MESSAGE(first.exit_code == 0, first.err);
  // The HPA controller raises a Deployment below minReplicas without metrics.
  REQUIRE(WaitForValue(ns.name(), "deployment/auto", ".spec.replicas", "2", std::chrono::seconds(90)) == "2");

  CommandOutput again = Llm(With(base, {"--cpu", "2"}));
  CHECK_MESSAGE(again.exit_code == 0, again.err);
  CHECK(Jsonpath(ns.name(), "deployment/auto", ".spec.replicas") == "2");

  // scale --min/--max moves the bounds; serve with --autoscale given again takes them back.
  CommandOutput bounds = Llm({"scale", "auto", "--min", "3", "--max", "5", "-n", ns.name()});
  REQUIRE_MESSAGE(bounds.exit_code == 0, bounds.err);
  CommandOutput back = Llm(With(base, {"--cpu", "2"}));
  CHECK_MESSAGE(back.exit_code == 0, back.err);
  CHECK(Jsonpath(ns.name(), "hpa/auto", ".spec.minReplicas") == "2");
  CHECK(Jsonpath(ns.name(), "hpa/auto", ".spec.maxReplicas") == "4");
  CHECK(Llm({"delete", "auto", "-n", ns.name()}).exit_code == 0);
}

}  // namespace
}  // namespace llm::testing

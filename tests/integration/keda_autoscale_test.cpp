// Scale to zero and back, end to end: the real KEDA operator (keda.sh) polls
// the real Prometheus (prometheus.sh) with the queries serve rendered, and
// scales the served Deployment 1 -> 0 when the model is idle, 0 -> 1 when the
// wake query turns positive, and 1 -> 0 again. The wake query reads another
// served model's queue (a "gateway" in front of the model): a series that
// exists while the model has no pod, which the model's own metrics cannot be.
//
// KEDA's metrics API server is not run (see tests/cluster/README.md), so the
// HPA KEDA makes cannot scale 1 -> N here; activation is what the operator
// does by itself.
#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "integration/cluster_addons.h"
#include "integration/engine_simulator.h"
#include "integration/run_command.h"

namespace llm::testing {
namespace {

using nlohmann::json;

constexpr const char* kModel = "Qwen/Qwen2.5-0.5B-Instruct";

/// spec.replicas of Deployment NAME (-1 when it cannot be read).
int DesiredReplicas(const std::string& ns, const std::string& name) {
  CommandOutput got =
      TestCluster::Get().Kubectl("admin", {"-n", ns, "get", "deployment", name, "-o", "jsonpath={.spec.replicas}"});
  if (got.exit_code != 0 || got.out.empty()) return -1;
  return std::stoi(got.out);
}

/// Polls until the Deployment asks for `replicas`; false after `patience`.
bool WaitForReplicas(const std::string& ns, const std::string& name, int replicas, std::chrono::seconds patience) {
  const auto deadline = std::chrono::steady_clock::now() + patience;
  while (DesiredReplicas(ns, name) != replicas) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  return true;
}

/// `kubectl llm status NAME -o json`'s one item.
json StatusItem(const std::string& ns, const std::string& name) {
  CommandOutput status = TestCluster::Get().Plugin("admin", {"status", name, "-n", ns, "-o", "json"});
  REQUIRE_MESSAGE(status.exit_code == 0, status.err);
  const json list = json::parse(status.out);
  REQUIRE(list["items"].size() == 1);
  return list["items"][0];
}

TEST_CASE("KEDA scales an idle model to zero, a wake query brings it back, from Prometheus's answers") {
  const std::string prometheus = StartPrometheus();
  StartKeda();
  ServedModel served("keda-wake");
  const std::string& ns = served.ns();

  // The gateway's queue: what waits for the model while it has no pod.
  served.Serve("gateway", kModel, {"--gpus", "1", "--wait"});
  const std::string gateway = served.ReadyPods("gateway", 1).begin()->second;
  served.Steer(gateway, {{"engine", "vllm"}, {"model", kModel}, {"metrics", {{"waiting", 0}}}});

  // KEDA's timings shortened with --patch (the rendered 15 s poll and 10 min
  // cooldown are for models that take minutes to load).
  const std::string patch = TestCluster::Get().dir() + "/keda-wake-timings.json";
  {
    std::ofstream out(patch);
    out << R"({"spec": {"pollingInterval": 1, "cooldownPeriod": 3}})";
  }
  const std::string wake = "sum(vllm:num_requests_waiting{namespace=\"" + ns + "\",pod=~\"gateway-.+\"})";
  CommandOutput serve =
      TestCluster::Get().Plugin("admin", {"serve", "chat", "-n", ns, "--model", kModel, "--gpus", "1", "--autoscale",
                                          "0:4", "--autoscale-metric", "queue=5", "--autoscale-wake-query", wake,
                                          "--prometheus-url", prometheus, "--patch", "scaledobject/chat=" + patch});
  REQUIRE_MESSAGE(serve.exit_code == 0, serve.err);
  CHECK(serve.err.find("Note: chat scales to zero replicas when idle") != std::string::npos);
  CHECK(serve.err.find("--autoscale-wake-query wakes it") != std::string::npos);

  INFO("KEDA's log: " << TestCluster::Get().dir() << "/logs/keda-operator.log");
  // Idle (its own queue empty, the gateway's too): 1 -> 0 after the cooldown.
  REQUIRE(WaitForReplicas(ns, "chat", 0, std::chrono::seconds(90)));
  json idle = StatusItem(ns, "chat");
  CHECK(idle["desired"] == 0);
  CHECK(idle["ready"] == 0);
  CHECK(idle["state"] == "ScaledToZero");
  // The ScaledObject's bounds (KEDA's HPA says 1: an HPA's minimum is at least 1).
  CHECK(idle["autoscaler"]["name"] == "keda-hpa-chat");
  CHECK(idle["autoscaler"]["minReplicas"] == 0);
  CHECK(idle["autoscaler"]["maxReplicas"] == 4);
  CHECK(idle["autoscaler"]["problem"] == "");  // the HPA's ScalingDisabled at zero is KEDA's to end

  // Requests wait at the gateway: Prometheus answers the wake query with 3, so
  // KEDA activates the Deployment, and its pod comes up.
  served.Steer(gateway, {{"engine", "vllm"}, {"model", kModel}, {"metrics", {{"waiting", 3}}}});
  REQUIRE(WaitForReplicas(ns, "chat", 1, std::chrono::seconds(90)));
  served.ReadyPods("chat", 1, std::chrono::seconds(90));
  json woken = StatusItem(ns, "chat");
  CHECK(woken["desired"] == 1);
  CHECK(woken["ready"] == 1);

  // The gateway drains: back to zero after the cooldown.
  served.Steer(gateway, {{"engine", "vllm"}, {"model", kModel}, {"metrics", {{"waiting", 0}}}});
  REQUIRE(WaitForReplicas(ns, "chat", 0, std::chrono::seconds(90)));
  CHECK(StatusItem(ns, "chat")["desired"] == 0);

  // What KEDA said of it: the ScaledObject is Ready (its triggers answered).
  CommandOutput ready = TestCluster::Get().Kubectl(
      "admin",
      {"-n", ns, "get", "scaledobject", "chat", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}"});
  CHECK(ready.out == "True");
}

}  // namespace
}  // namespace llm::testing

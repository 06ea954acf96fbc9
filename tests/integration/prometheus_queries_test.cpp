// Every PromQL expression serve renders, for each engine, run against a real
// Prometheus (tests/cluster/prometheus.sh, built from its Go module) that
// scrapes the engine simulator's pods as the rendered PodMonitor selects
// them: the ScaledObject's query for each --autoscale-metric signal the engine
// exports, and every panel of its --dashboard. Each must return a non-empty
// result: this is the test that catches a renamed metric or a wrong label.
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "integration/cluster_addons.h"
#include "integration/engine_simulator.h"
#include "integration/run_command.h"

namespace llm::testing {
namespace {

using nlohmann::json;

constexpr const char* kModel = "Qwen/Qwen2.5-0.5B-Instruct";

/// Prometheus's instant-query answer's data.result, polled until non-empty or
/// `patience` runs out (rates need two scrapes, a second apart, of a new pod).
json QueryResult(const std::string& prometheus, const std::string& query, std::chrono::seconds patience) {
  const auto deadline = std::chrono::steady_clock::now() + patience;
  json result = json::array();
  while (true) {
    CommandOutput answer = RunCommand(
        {"/usr/bin/env", "curl", "-sf", "--get", "--data-urlencode", "query=" + query, prometheus + "/api/v1/query"});
    if (answer.exit_code == 0) {
      const json body = json::parse(answer.out, nullptr, /*allow_exceptions=*/false);
      if (body.is_object() && body.value("status", "") == "success") result = body["data"]["result"];
    }
    if (!result.empty() || std::chrono::steady_clock::now() >= deadline) return result;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

/// What serve renders for NAME in the namespace: its dashboard's queries and,
/// for each signal the engine scales on, the ScaledObject's query.
std::vector<std::string> RenderedQueries(const std::string& ns, const std::string& name, const std::string& engine) {
  std::vector<std::string> queries;
  CommandOutput dashboard = TestCluster::Get().Kubectl(
      "admin", {"-n", ns, "get", "configmap", name + "-dashboard", "-o", "jsonpath={.data." + name + "\\.json}"});
  REQUIRE_MESSAGE(dashboard.exit_code == 0, dashboard.err);
  const json model = json::parse(dashboard.out);
  for (const json& panel : model["panels"]) {
    for (const json& target : panel["targets"]) queries.push_back(target["expr"]);
  }
  for (const char* signal : {"queue", "kv-cache", "ttft"}) {
    CommandOutput rendered =
        TestCluster::Get().Plugin("admin", {"render", "serve", name, "-n", ns, "--engine", engine, "--model", kModel,
                                            "--autoscale", "1:2", "--autoscale-metric", signal, "-o", "json"});
    if (rendered.exit_code != 0) {
      // An engine without the series is refused, with the reason (TGI: no KV-cache gauge, no TTFT histogram).
      CHECK(rendered.err.find("exports no") != std::string::npos);
      continue;
    }
    const json list = json::parse(rendered.out);
    for (const json& item : list["items"]) {
      if (item["kind"] == "ScaledObject") queries.push_back(item["spec"]["triggers"][0]["metadata"]["query"]);
    }
  }
  return queries;
}

TEST_CASE("every query serve renders, for each engine, returns data from a real Prometheus scraping its pods") {
  const std::string prometheus = StartPrometheus();
  ServedModel served("prometheus-queries");
  for (const char* engine : {"vllm", "sglang", "tgi"}) {
    const std::string name = std::string("q-") + engine;
    served.Serve(name, kModel, {"--engine", engine, "--gpus", "1", "--monitor", "--dashboard", "--wait"});
    const auto pods = served.ReadyPods(name, 1);
    served.Steer(pods.begin()->second, {{"engine", engine}, {"model", kModel}, {"metrics", {{"waiting", 3}}}});
    const std::vector<std::string> queries = RenderedQueries(served.ns(), name, engine);
    CHECK(queries.size() > 10);
    for (const std::string& query : queries) {
      INFO(engine << ": " << query);
      CHECK_FALSE(QueryResult(prometheus, query, std::chrono::seconds(30)).empty());
    }
  }
}

}  // namespace
}  // namespace llm::testing

// `kubectl llm metrics` against the real control plane: each pod's /metrics
// read through the API server's pod proxy from the engine simulator, which
// writes each engine's real metric names, labels and buckets. The values
// expected are what the simulator was told; the quantiles are PromQL's
// histogram_quantile worked out by hand on the engine's own buckets.
#include <csignal>
#include <map>
#include <string>
#include <thread>
#include <utility>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "integration/engine_simulator.h"

namespace llm::testing {
namespace {
using nlohmann::json;

constexpr const char* kModel = "Qwen/Qwen2.5-0.5B-Instruct";

CommandOutput Llm(const std::vector<std::string>& args) { return TestCluster::Get().Plugin("admin", args); }

TEST_CASE("metrics: per pod and in total, the values the simulator exposes, quantiles as histogram_quantile") {
  ServedModel served("metrics-values");
  served.Serve("chat", kModel, {"--gpus", "1", "--replicas", "2", "--wait"});
  const auto pods = served.ReadyPods("chat", 2);
  const std::string a = pods.begin()->first, b = pods.rbegin()->first;
  // vLLM's TTFT buckets ... 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75 ...; e2e ... 0.8, 1.0, 1.5, 2.0, 2.5 ...
  served.Steer(pods.at(a), {{"engine", "vllm"},
                            {"model", kModel},
                            {"metrics",
                             {{"running", 3},
                              {"waiting", 7},
                              {"kvCacheUsage", 0.42},
                              {"promptTokensPerSecond", 400},
                              {"generationTokensPerSecond", 100},
                              {"ttftObservations", {0.05, 0.05, 0.3, 0.3, 0.7}},
                              {"e2eObservations", {0.9, 1.2, 1.2, 2.2}}}}});
  served.Steer(pods.at(b), {{"engine", "vllm"},
                            {"model", kModel},
                            {"metrics",
                             {{"running", 1},
                              {"waiting", 2},
                              {"kvCacheUsage", 0.10},
                              {"promptTokensPerSecond", 200},
                              {"generationTokensPerSecond", 50},
                              {"ttftObservations", {0.2, 0.2, 0.2}},
                              {"e2eObservations", {0.9, 0.9}}}}});

  CommandOutput out = Llm({"metrics", "chat", "-n", served.ns(), "--interval", "2s", "-o", "json"});
  INFO(out.out << out.err);
  REQUIRE(out.exit_code == 0);
  const json doc = json::parse(out.out);
  CHECK(doc["engine"] == "vllm");
  CHECK(doc["model"] == kModel);
  REQUIRE(doc["pods"].size() == 2);
  const json& pa = doc["pods"][0]["pod"] == a ? doc["pods"][0] : doc["pods"][1];
  const json& pb = doc["pods"][0]["pod"] == a ? doc["pods"][1] : doc["pods"][0];
  CHECK(pa["requestsRunning"] == 3.0);
  CHECK(pa["requestsWaiting"] == 7.0);
  CHECK(pa["kvCacheUsage"] == doctest::Approx(0.42));
  // Counters grow at the told rate; the time between two proxied scrapes is the client's, so within 10%.
  CHECK(pa["promptTokensPerSecond"].get<double>() == doctest::Approx(400).epsilon(0.10));
  CHECK(pa["generationTokensPerSecond"].get<double>() == doctest::Approx(100).epsilon(0.10));
  CHECK(pb["promptTokensPerSecond"].get<double>() == doctest::Approx(200).epsilon(0.10));
  // No request finished between the scrapes: quantiles over the lifetime buckets.
  // Pod a TTFT: 2 in (0.04,0.06], 2 in (0.25,0.5], 1 in (0.5,0.75]:
  //   p50 = 0.25 + 0.25 x (2.5-2)/2 = 0.3125, p95 = 0.5 + 0.25 x (4.75-4)/1 = 0.6875.
  CHECK(pa["timeToFirstToken"]["window"] == "lifetime");
  CHECK(pa["timeToFirstToken"]["p50Seconds"] == doctest::Approx(0.3125));
  CHECK(pa["timeToFirstToken"]["p95Seconds"] == doctest::Approx(0.6875));
  // Pod a e2e: 1 in (0.8,1.0], 2 in (1.0,1.5], 1 in (2.0,2.5]:
  //   p50 = 1.0 + 0.5 x (2-1)/2 = 1.25, p95 = 2.0 + 0.5 x (3.8-3)/1 = 2.4.
  CHECK(pa["endToEndLatency"]["p50Seconds"] == doctest::Approx(1.25));
  CHECK(pa["endToEndLatency"]["p95Seconds"] == doctest::Approx(2.4));
  // Pod b TTFT: 3 in (0.1,0.25]: p50 = 0.1 + 0.15 x 1.5/3 = 0.175.
  CHECK(pb["timeToFirstToken"]["p50Seconds"] == doctest::Approx(0.175));
  const json& total = doc["total"];
  CHECK(total["requestsRunning"] == 4.0);
  CHECK(total["requestsWaiting"] == 9.0);
  CHECK(total["kvCacheUsage"] == doctest::Approx(0.26));
  // Both pods' TTFT buckets summed by le: 2 in (0.04,0.06], 3 in (0.1,0.25], 2 in (0.25,0.5], 1 in (0.5,0.75]:
  //   p50 = rank 4 in (0.1,0.25] with 2 below: 0.1 + 0.15 x 2/3 = 0.2; p95 = rank 7.6: 0.5 + 0.25 x 0.6 = 0.65.
  CHECK(total["timeToFirstToken"]["p50Seconds"] == doctest::Approx(0.2));
  CHECK(total["timeToFirstToken"]["p95Seconds"] == doctest::Approx(0.65));
  CHECK(total["timeToFirstToken"]["observations"] == 8.0);

  CommandOutput table = Llm({"metrics", "chat", "-n", served.ns()});
  INFO(table.out << table.err);
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.find("KV CACHE") != std::string::npos);
  CHECK(table.out.find("42.0%") != std::string::npos);
  CHECK(table.out.find("313ms*") != std::string::npos);
  CHECK(table.out.find("TOTAL") != std::string::npos);
}

TEST_CASE("metrics: requests served between the scrapes give interval quantiles, with TGI's names and no KV gauge") {
  ServedModel served("metrics-tgi");
  served.Serve("chat", kModel, {"--engine", "tgi", "--gpus", "1", "--wait"});
  const auto pods = served.ReadyPods("chat", 1);
  served.Steer(pods.begin()->second, {{"engine", "tgi"}, {"model", kModel}, {"metrics", {{"waiting", 4}}}});
  // Completions while metrics waits between its scrapes: they land in tgi_request_duration.
  std::thread load([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    for (int i = 0; i < 3; ++i) {
      TestCluster::Get().Kubectl(
          "admin",
          {"create", "--raw", "/api/v1/namespaces/" + served.ns() + "/services/chat:8000/proxy/v1/completions", "-f",
           "-"},
          R"({"model":"x","prompt":"Hello","max_tokens":4})");
    }
  });
  CommandOutput out = Llm({"metrics", "chat", "-n", served.ns(), "--interval", "4s", "-o", "json"});
  load.join();
  INFO(out.out << out.err);
  REQUIRE(out.exit_code == 0);
  const json pod = json::parse(out.out)["pods"][0];
  CHECK(pod["requestsWaiting"] == 4.0);
  CHECK(pod["kvCacheUsage"].is_null());  // TGI has no KV-cache gauge
  CHECK(pod["timeToFirstToken"]["window"] == "none");
  CHECK(pod["endToEndLatency"]["window"] == "interval");
  CHECK(pod["endToEndLatency"]["observations"] == 3.0);
  CHECK(pod["generationTokensPerSecond"].get<double>() > 0);  // tgi_request_generated_tokens_sum grew by 12
}

TEST_CASE("metrics --check: a renamed metric and a mislabelled one are named, the rendered autoscaler's query passes") {
  ServedModel served("metrics-check");
  served.Serve("chat", kModel, {"--gpus", "1", "--autoscale", "1:2", "--autoscale-metric", "queue", "--wait"});
  const auto pods = served.ReadyPods("chat", 1);
  const std::string pod = pods.begin()->first, ip = pods.begin()->second;
  served.Steer(ip, {{"engine", "vllm"}, {"model", kModel}});
  CommandOutput good = Llm({"metrics", "chat", "-n", served.ns(), "--check", "--interval", "200ms"});
  INFO(good.out << good.err);
  CHECK(good.exit_code == 0);

  // vLLM's own rename, the other way round: the deprecated name where the current one should be.
  served.Steer(ip, {{"engine", "vllm"},
                    {"model", kModel},
                    {"metrics", {{"rename", {{"vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc"}}}}}});
  CommandOutput renamed = Llm({"metrics", "chat", "-n", served.ns(), "--check", "--interval", "200ms"});
  INFO(renamed.out << renamed.err);
  CHECK(renamed.exit_code == 1);
  CHECK(renamed.err == "error: --check found 1 problem with the metrics chat reads:\n  pod " + pod +
                           ": vllm:kv_cache_usage_perc is absent from /metrics (read by the KV CACHE column)\n");

  // The queue the ScaledObject scales on, renamed: the autoscaler's own query is named too.
  served.Steer(ip, {{"engine", "vllm"},
                    {"model", kModel},
                    {"metrics", {{"rename", {{"vllm:num_requests_waiting", "vllm:num_requests_queued"}}}}}});
  CommandOutput queue = Llm({"metrics", "chat", "-n", served.ns(), "--check", "--interval", "200ms"});
  INFO(queue.out << queue.err);
  CHECK(queue.exit_code == 1);
  CHECK(queue.err.find("pod " + pod +
                       ": vllm:num_requests_waiting is absent from /metrics (read by ScaledObject "
                       "chat's query)") != std::string::npos);

  served.Steer(ip, {{"engine", "vllm"}, {"model", kModel}, {"metrics", {{"modelLabel", "base-model"}}}});
  CommandOutput label = Llm({"metrics", "chat", "-n", served.ns(), "--check", "--interval", "200ms"});
  INFO(label.out << label.err);
  CHECK(label.exit_code == 1);
  CHECK(label.err.find("vllm:num_requests_waiting has model_name=\"base-model\" but not "
                       "\"Qwen/Qwen2.5-0.5B-Instruct\", the served model name") != std::string::npos);
}

TEST_CASE("metrics --check: a ttft autoscaler's query reads the engine's TTFT histogram, and its rename is named") {
  ServedModel served("metrics-check-ttft");
  served.Serve("chat", kModel, {"--gpus", "1", "--autoscale", "1:2", "--autoscale-metric", "ttft=0.5", "--wait"});
  const auto pods = served.ReadyPods("chat", 1);
  const std::string pod = pods.begin()->first, ip = pods.begin()->second;
  served.Steer(ip, {{"engine", "vllm"}, {"model", kModel}});
  CommandOutput good = Llm({"metrics", "chat", "-n", served.ns(), "--check", "--interval", "200ms"});
  INFO(good.out << good.err);
  CHECK(good.exit_code == 0);

  served.Steer(ip, {{"engine", "vllm"},
                    {"model", kModel},
                    {"metrics", {{"rename", {{"vllm:time_to_first_token_seconds", "vllm:ttft_seconds"}}}}}});
  CommandOutput renamed = Llm({"metrics", "chat", "-n", served.ns(), "--check", "--interval", "200ms"});
  INFO(renamed.out << renamed.err);
  CHECK(renamed.exit_code == 1);
  CHECK(renamed.err.find("pod " + pod +
                         ": vllm:time_to_first_token_seconds_bucket is absent from /metrics (read by ScaledObject "
                         "chat's query)") != std::string::npos);
}

TEST_CASE("metrics --check: every dashboard query of each engine finds its series, a renamed one is named by panel") {
  ServedModel served("metrics-check-dashboard");
  std::map<std::string, std::pair<std::string, std::string>> pods;  // engine -> pod, IP
  for (const char* engine : {"vllm", "sglang", "tgi"}) {
    const std::string name = std::string("dash-") + engine;
    served.Serve(name, kModel, {"--engine", engine, "--gpus", "1", "--dashboard", "--wait"});
    const auto ready = served.ReadyPods(name, 1);
    pods[engine] = *ready.begin();
    served.Steer(ready.begin()->second, {{"engine", engine}, {"model", kModel}});
    CommandOutput good = Llm({"metrics", name, "-n", served.ns(), "--check", "--interval", "200ms"});
    INFO(engine << ": " << good.out << good.err);
    CHECK(good.exit_code == 0);
  }

  // vLLM's inter-token histogram under its pre-V1 name: only the dashboard reads it.
  const auto& [pod, ip] = pods.at("vllm");
  served.Steer(
      ip, {{"engine", "vllm"},
           {"model", kModel},
           {"metrics", {{"rename", {{"vllm:inter_token_latency_seconds", "vllm:time_per_output_token_seconds"}}}}}});
  CommandOutput renamed = Llm({"metrics", "dash-vllm", "-n", served.ns(), "--check", "--interval", "200ms"});
  INFO(renamed.out << renamed.err);
  CHECK(renamed.exit_code == 1);
  CHECK(renamed.err == "error: --check found 1 problem with the metrics dash-vllm reads:\n  pod " + pod +
                           ": vllm:inter_token_latency_seconds_bucket is absent from /metrics (read by dashboard "
                           "dash-vllm-dashboard's panel \"Inter-token latency\"'s query)\n");
}

TEST_CASE("metrics -w refreshes until Ctrl-C") {
  ServedModel served("metrics-watch");
  served.Serve("chat", kModel, {"--gpus", "1", "--wait"});
  served.Steer(served.ReadyPods("chat", 1).begin()->second, {{"engine", "vllm"}, {"model", kModel}});
  CommandOutput out = TestCluster::Get().Plugin(
      "admin", {"metrics", "chat", "-n", served.ns(), "-w", "--interval", "300ms"}, "", [](int pid) {
        std::this_thread::sleep_for(std::chrono::seconds(3));
        kill(pid, SIGINT);
      });
  INFO(out.out << out.err);
  CHECK(out.exit_code == 130);
  size_t tables = 0;
  for (size_t at = out.out.find("POD "); at != std::string::npos; at = out.out.find("POD ", at + 1)) ++tables;
  CHECK(tables >= 3);
}

}  // namespace
}  // namespace llm::testing

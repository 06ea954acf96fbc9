#include "commands/serving_metrics.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

const ModelSelection kVllm{FindServeEngine("vllm"), "org/m"};

/// A vLLM scrape: gauges, counters and a TTFT histogram with cumulative
/// buckets `ttft` at 0.1, 0.5, 1 and +Inf, for model `model`.
std::string VllmScrape(double prompt, double generation, std::vector<int> ttft, const std::string& model = "org/m") {
  const std::string l = "{model_name=\"" + model + "\",engine=\"0\"";
  std::string out = "vllm:num_requests_running" + l +
                    "} 3.0\n"
                    "vllm:num_requests_waiting" +
                    l +
                    "} 7.0\n"
                    "vllm:kv_cache_usage_perc" +
                    l +
                    "} 0.25\n"
                    "vllm:prompt_tokens_total" +
                    l + "} " + std::to_string(prompt) +
                    "\n"
                    "vllm:generation_tokens_total" +
                    l + "} " + std::to_string(generation) + "\n";
  const char* bounds[] = {"0.1", "0.5", "1.0", "+Inf"};
  for (int i = 0; i < 4; ++i) {
    out +=
        "vllm:time_to_first_token_seconds_bucket" + l + ",le=\"" + bounds[i] + "\"} " + std::to_string(ttft[i]) + "\n";
    out +=
        "vllm:e2e_request_latency_seconds_bucket" + l + ",le=\"" + bounds[i] + "\"} " + std::to_string(ttft[i]) + "\n";
  }
  return out;
}

Exposition Parse(const std::string& text) { return ParsePrometheusText(text).value(); }

TEST_CASE("serving metrics: gauges, token rates from two scrapes, quantiles over the buckets gained in between") {
  // 4 requests finished between the scrapes: 2 under 0.1 s, 2 in (0.1, 0.5].
  const PodMetrics p = ReadPodMetrics(kVllm, "chat-a", Parse(VllmScrape(1000, 500, {10, 20, 20, 20})),
                                      Parse(VllmScrape(1240, 560, {12, 24, 24, 24})), std::chrono::seconds(2));
  CHECK(p.running == 3);
  CHECK(p.waiting == 7);
  CHECK(p.kv_cache_usage == 0.25);
  CHECK(p.prompt_tokens_per_second == doctest::Approx(120));
  CHECK(p.generation_tokens_per_second == doctest::Approx(30));
  CHECK(p.ttft.window == LatencyWindow::kInterval);
  CHECK(p.ttft.observations == 4);
  CHECK(p.ttft.p50 == doctest::Approx(0.1));  // rank 2 ends the first bucket
  CHECK(p.ttft.p95 == doctest::Approx(0.1 + 0.4 * (3.8 - 2) / 2));
}

TEST_CASE(
    "serving metrics: no request in between gives quantiles over the lifetime, marked, and none at all gives none") {
  const Exposition same = Parse(VllmScrape(10, 10, {1, 3, 4, 4}));
  const PodMetrics p = ReadPodMetrics(kVllm, "chat-a", same, same, std::chrono::seconds(1));
  CHECK(p.ttft.window == LatencyWindow::kLifetime);
  CHECK(p.ttft.p50 == doctest::Approx(0.1 + 0.4 * (2 - 1) / 2));
  CHECK(p.prompt_tokens_per_second == 0);
  const Exposition empty = Parse(VllmScrape(0, 0, {0, 0, 0, 0}));
  const PodMetrics idle = ReadPodMetrics(kVllm, "chat-b", empty, empty, std::chrono::seconds(1));
  CHECK(idle.ttft.window == LatencyWindow::kNone);
  CHECK_FALSE(idle.ttft.p50.has_value());
}

TEST_CASE("serving metrics: a counter reset counts from zero, and series of another model are not read") {
  const PodMetrics reset = ReadPodMetrics(kVllm, "chat-a", Parse(VllmScrape(5000, 10, {0, 0, 0, 0})),
                                          Parse(VllmScrape(60, 10, {0, 0, 0, 0})), std::chrono::seconds(2));
  CHECK(reset.prompt_tokens_per_second == doctest::Approx(30));
  const Exposition other = Parse(VllmScrape(1, 1, {1, 1, 1, 1}, "org/other"));
  const PodMetrics p = ReadPodMetrics(kVllm, "chat-a", other, other, std::chrono::seconds(1));
  CHECK_FALSE(p.running.has_value());
  CHECK_FALSE(p.kv_cache_usage.has_value());
}

TEST_CASE("serving metrics: the total sums pods, averages KV usage, and takes quantiles over summed buckets") {
  const PodMetrics a = ReadPodMetrics(kVllm, "a", Parse(VllmScrape(0, 0, {0, 0, 0, 0})),
                                      Parse(VllmScrape(100, 10, {4, 4, 4, 4})), std::chrono::seconds(1));
  PodMetrics b = ReadPodMetrics(kVllm, "b", Parse(VllmScrape(0, 0, {0, 0, 0, 0})),
                                Parse(VllmScrape(300, 30, {0, 4, 4, 4})), std::chrono::seconds(1));
  b.kv_cache_usage = 0.75;
  PodMetrics broken;
  broken.pod = "c";
  broken.error = "it answered GET /metrics with HTTP 404";
  const PodMetrics total = TotalMetrics({a, b, broken});
  CHECK(total.running == 6);
  CHECK(total.waiting == 14);
  CHECK(total.kv_cache_usage == doctest::Approx(0.5));
  CHECK(total.prompt_tokens_per_second == doctest::Approx(400));
  // Summed: 4 under 0.1, 8 under 0.5: p50 is rank 4, the end of the first bucket.
  CHECK(total.ttft.p50 == doctest::Approx(0.1));
  CHECK(total.ttft.p95 == doctest::Approx(0.1 + 0.4 * (7.6 - 4) / 4));
  const std::string table = MetricsTable({a, b, broken}, total);
  CHECK(table ==
        "POD     RUNNING   WAITING   KV CACHE   PROMPT TOK/S   GEN TOK/S   TTFT P50   TTFT P95   E2E P50   E2E P95\n"
        "a       3         7         25.0%      100.0          10.0        50ms       95ms       50ms      95ms\n"
        "b       3         7         75.0%      300.0          30.0        300ms      480ms      300ms     480ms\n"
        "c       -         -         -          -              -           -          -          -         -\n"
        "TOTAL   6         14        50.0%      400.0          40.0        100ms      460ms      100ms     460ms\n"
        "pod c: it answered GET /metrics with HTTP 404\n");
}

TEST_CASE("metrics --check: the engine row's metrics with their model label") {
  const Exposition good = Parse(VllmScrape(1, 1, {1, 1, 1, 1}));
  CHECK(CheckExposition(kVllm, "chat-a", good, {}).empty());

  // vLLM's rename, the other way round: the old name where the new one should be.
  std::string renamed = VllmScrape(1, 1, {1, 1, 1, 1});
  renamed.replace(renamed.find("vllm:kv_cache_usage_perc"), 24, "vllm:gpu_cache_usage_perc");
  std::vector<MetricProblem> problems = CheckExposition(kVllm, "chat-a", Parse(renamed), {});
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].Sentence() ==
        "pod chat-a: vllm:kv_cache_usage_perc is absent from /metrics (read by the KV CACHE column)");

  problems = CheckExposition(kVllm, "chat-a", Parse(VllmScrape(1, 1, {1, 1, 1, 1}, "org/other")), {});
  REQUIRE(problems.size() == 7);
  CHECK(problems[1].Sentence() ==
        "pod chat-a: vllm:num_requests_waiting has model_name=\"org/other\" but not \"org/m\", the served model name "
        "(read by the WAITING column and serve --autoscale-metric=queue)");

  problems = CheckExposition(kVllm, "chat-a", Parse("vllm:num_requests_running{engine=\"0\"} 1\n"), {});
  CHECK(problems[0].Sentence() ==
        "pod chat-a: vllm:num_requests_running has no model_name label (its labels: engine) (read by the RUNNING "
        "column)");
}

TEST_CASE("metrics --check: the autoscaler's query, its metric and the labels it filters on") {
  const Exposition good = Parse(VllmScrape(1, 1, {1, 1, 1, 1}));
  // What serve --autoscale-metric=queue renders: pod and namespace are Prometheus' target labels.
  CHECK(CheckExposition(kVllm, "chat-a", good,
                        {{"ScaledObject chat", R"(sum(vllm:num_requests_waiting{namespace="ml",pod=~"chat-.+"}))"}})
            .empty());
  // production-stack's query filters on model=, which vLLM does not write.
  std::vector<MetricProblem> problems =
      CheckExposition(kVllm, "chat-a", good, {{"ScaledObject chat", R"(vllm:num_requests_waiting{model="org/m"})"}});
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].Sentence() ==
        "pod chat-a: vllm:num_requests_waiting has no model label, which the query filters on (its labels: "
        "model_name, engine) (read by ScaledObject chat's query)");
  problems = CheckExposition(kVllm, "chat-a", good,
                             {{"ScaledObject chat", R"(avg(vllm:gpu_cache_usage_perc{model_name=~"org/.*"}))"}});
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].Sentence() ==
        "pod chat-a: vllm:gpu_cache_usage_perc is absent from /metrics (read by ScaledObject chat's query)");
  problems = CheckExposition(kVllm, "chat-a", good,
                             {{"ScaledObject chat", R"(vllm:num_requests_waiting{model_name="other"})"}});
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].problem == "has no series with model_name=\"other\" (it has \"org/m\")");
  problems = CheckExposition(kVllm, "chat-a", good, {{"ScaledObject chat", R"(sum(x{a="1"))"}});
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].problem == "cannot be read (offset 11: expected '}' to close the label matchers)");
}

TEST_CASE("metrics --check: a dashboard ConfigMap's panel queries, each problem said once for p50, p95 and p99") {
  const nlohmann::json panels = {
      {"panels",
       {{{"title", "Inter-token latency"},
         {"targets",
          {{{"expr",
             R"(histogram_quantile(0.5, sum by (le) (rate(vllm:inter_token_latency_seconds_bucket{pod=~"chat-.+"}[5m]))))"}},
           {{"expr",
             R"(histogram_quantile(0.95, sum by (le) (rate(vllm:inter_token_latency_seconds_bucket{pod=~"chat-.+"}[5m]))))"}}}}},
        {{"title", "Requests running and waiting"},
         {"targets", {{{"expr", R"(sum(vllm:num_requests_waiting{pod=~"chat-.+"}))"}}}}}}}};
  const nlohmann::json config_map = {{"metadata", {{"name", "chat-dashboard"}}},
                                     {"data", {{"chat.json", panels.dump()}, {"README", "not a dashboard"}}}};
  const std::vector<RenderedQuery> queries = DashboardQueries(config_map);
  REQUIRE(queries.size() == 3);
  CHECK(queries[0].owner == "dashboard chat-dashboard's panel \"Inter-token latency\"");
  CHECK(queries[2].owner == "dashboard chat-dashboard's panel \"Requests running and waiting\"");
  CHECK(DashboardQueries({{"metadata", {{"name", "other"}}}, {"data", {{"k", "v"}}}}).empty());

  // The scrape has no inter-token histogram: one problem, not one per quantile.
  const std::vector<MetricProblem> problems =
      CheckExposition(kVllm, "chat-a", Parse(VllmScrape(1, 1, {1, 1, 1, 1})), queries);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].Sentence() ==
        "pod chat-a: vllm:inter_token_latency_seconds_bucket is absent from /metrics (read by dashboard "
        "chat-dashboard's panel \"Inter-token latency\"'s query)");
}

TEST_CASE("metrics: the ServingMetrics object") {
  const PodMetrics p = ReadPodMetrics(kVllm, "chat-a", Parse(VllmScrape(0, 0, {0, 0, 0, 0})),
                                      Parse(VllmScrape(10, 5, {1, 1, 1, 1})), std::chrono::seconds(1));
  const nlohmann::ordered_json doc =
      ServingMetricsJson("chat", "ml", kVllm, 1.0, {p}, TotalMetrics({p}), std::vector<MetricProblem>{});
  CHECK(doc["kind"] == "ServingMetrics");
  CHECK(doc["engine"] == "vllm");
  CHECK(doc["model"] == "org/m");
  CHECK(doc["pods"][0]["pod"] == "chat-a");
  CHECK(doc["pods"][0]["requestsWaiting"] == 7.0);
  CHECK(doc["pods"][0]["timeToFirstToken"]["window"] == "interval");
  CHECK(doc["pods"][0]["timeToFirstToken"]["p50Seconds"] == doctest::Approx(0.05));
  CHECK(doc["total"]["promptTokensPerSecond"] == 10.0);
  CHECK(doc["check"]["passed"] == true);
}

}  // namespace
}  // namespace llm

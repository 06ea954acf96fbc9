#include "commands/metrics_command.h"

#include <sstream>

#include <doctest/doctest.h>

#include "unit/commands/served_model_fixture.h"

namespace llm {
namespace {
using testing::ServedModelFixture;

std::string Scrape(int waiting, int prompt_total, const std::string& kv_name = "vllm:kv_cache_usage_perc") {
  const std::string l = R"({model_name="Qwen/Qwen2.5-0.5B-Instruct",engine="0"})";
  const std::string h = R"({model_name="Qwen/Qwen2.5-0.5B-Instruct",engine="0",le=)";
  return "vllm:num_requests_running" + l + " 1.0\n" + "vllm:num_requests_waiting" + l + " " + std::to_string(waiting) +
         "\n" + kv_name + l + " 0.5\n" + "vllm:prompt_tokens_total" + l + " " + std::to_string(prompt_total) + "\n" +
         "vllm:generation_tokens_total" + l + " 0\n" + "vllm:time_to_first_token_seconds_bucket" + h + "\"0.1\"} 2\n" +
         "vllm:time_to_first_token_seconds_bucket" + h + "\"+Inf\"} 2\n" + "vllm:e2e_request_latency_seconds_bucket" +
         h + "\"1.0\"} 2\n" + "vllm:e2e_request_latency_seconds_bucket" + h + "\"+Inf\"} 2\n";
}

struct MetricsFixture : ServedModelFixture {
  std::ostringstream out;
  StreamTerminal terminal{out, false};
  MetricsEnv env{client, mapper, "ml", clock, terminal, nullptr};

  void Scrapes(const std::string& pod, const std::string& first, const std::string& second) {
    const std::string path = "/api/v1/namespaces/ml/pods/" + pod + ":8000/proxy/metrics";
    client.routes.On("GET", path, kube::HttpResponse{200, {{"Content-Type", "text/plain"}}, first});
    client.routes.On("GET", path, kube::HttpResponse{200, {{"Content-Type", "text/plain"}}, second});
  }
};

TEST_CASE("metrics: each pod scraped twice through the pod proxy, per pod and in total") {
  MetricsFixture f;
  f.Scrapes("chat-a", Scrape(3, 1000), Scrape(3, 1100));
  f.Scrapes("chat-b", Scrape(5, 0), Scrape(5, 50));
  REQUIRE(RunMetrics({.name = "chat", .interval = std::chrono::seconds(1)}, f.env).ok());
  CHECK(f.out.str() ==
        "vllm chat serving Qwen/Qwen2.5-0.5B-Instruct, rates over 1.0s\n"
        "POD      RUNNING   WAITING   KV CACHE   PROMPT TOK/S   GEN TOK/S   TTFT P50   TTFT P95   E2E P50   E2E P95\n"
        "chat-a   1         3         50.0%      100.0          0.0         50ms*      95ms*      500ms*    950ms*\n"
        "chat-b   1         5         50.0%      50.0           0.0         50ms*      95ms*      500ms*    950ms*\n"
        "TOTAL    2         8         50.0%      150.0          0.0         50ms*      95ms*      500ms*    950ms*\n"
        "* over the engine's lifetime: no request finished between the two scrapes\n");
  CHECK(f.clock.sleeps().size() == 10);  // the interval, slept in slices so Ctrl-C is seen
}

TEST_CASE("metrics -o json: the ServingMetrics object, naming a pod that cannot be read") {
  MetricsFixture f;
  f.Scrapes("chat-a", Scrape(3, 1000), Scrape(3, 1100));
  f.client.routes.On("GET", "/api/v1/namespaces/ml/pods/chat-b:8000/proxy/metrics",
                     kube::HttpResponse{404, {}, R"({"detail":"Not Found"})"});
  REQUIRE(RunMetrics({.name = "chat", .interval = std::chrono::seconds(1), .output = OutputFormat::kJson}, f.env).ok());
  const nlohmann::json doc = nlohmann::json::parse(f.out.str());
  CHECK(doc["kind"] == "ServingMetrics");
  CHECK(doc["intervalSeconds"] == 1.0);
  CHECK(doc["pods"][0]["promptTokensPerSecond"] == 100.0);
  CHECK(doc["pods"][1]["error"] == "it answered GET /metrics with HTTP 404: Not Found");
  CHECK(doc["total"]["requestsWaiting"] == 3.0);
  CHECK_FALSE(doc.contains("check"));
}

TEST_CASE("metrics --check: a renamed metric fails with its name, and the autoscaler's query is checked too") {
  MetricsFixture f;
  f.client.Put(
      {"keda.sh", "v1alpha1", "scaledobjects", "ml", "chat", ""},
      {{"apiVersion", "keda.sh/v1alpha1"},
       {"kind", "ScaledObject"},
       {"metadata", {{"name", "chat"}, {"namespace", "ml"}, {"labels", testing::ServeLabels()}}},
       {"spec",
        {{"triggers",
          {{{"type", "prometheus"},
            {"metadata", {{"query", R"(sum(vllm:num_requests_waiting{model="Qwen/Qwen2.5-0.5B-Instruct"}))"}}}}}}}}});
  f.Scrapes("chat-a", Scrape(3, 0), Scrape(3, 0));
  f.Scrapes("chat-b", Scrape(3, 0, "vllm:gpu_cache_usage_perc"), Scrape(3, 0, "vllm:gpu_cache_usage_perc"));
  Status checked = RunMetrics({.name = "chat", .check = true, .interval = std::chrono::seconds(1)}, f.env);
  REQUIRE_FALSE(checked.ok());
  CHECK(checked.error().message() ==
        "--check found 3 problems with the metrics chat reads:\n"
        "  pod chat-a: vllm:num_requests_waiting has no model label, which the query filters on (its labels: "
        "model_name, engine) (read by ScaledObject chat's query)\n"
        "  pod chat-b: vllm:kv_cache_usage_perc is absent from /metrics (read by the KV CACHE column)\n"
        "  pod chat-b: vllm:num_requests_waiting has no model label, which the query filters on (its labels: "
        "model_name, engine) (read by ScaledObject chat's query)");
}

TEST_CASE("metrics --check passes when every metric is there with its labels") {
  MetricsFixture f;
  f.Scrapes("chat-a", Scrape(3, 0), Scrape(3, 0));
  f.Scrapes("chat-b", Scrape(3, 0), Scrape(3, 0));
  CHECK(RunMetrics({.name = "chat", .check = true, .interval = std::chrono::seconds(1)}, f.env).ok());
}

TEST_CASE("metrics -w refreshes until stopped, redrawing in place on a terminal") {
  MetricsFixture f;
  StreamTerminal tty(f.out, true);
  int refreshes = 0;
  MetricsEnv env{f.client, f.mapper, "ml", f.clock, tty, [&] { return refreshes >= 3; }};
  f.Scrapes("chat-a", Scrape(3, 0), Scrape(3, 0));
  f.client.routes.OnHandler("GET", "/api/v1/namespaces/ml/pods/chat-b:8000/proxy/metrics",
                            [&](const kube::HttpRequest&) -> Result<kube::HttpResponse> {
                              ++refreshes;
                              return kube::HttpResponse{200, {}, Scrape(refreshes, 0)};
                            });
  REQUIRE(RunMetrics({.name = "chat", .watch = true, .interval = std::chrono::seconds(1)}, env).ok());
  const std::string text = f.out.str();
  CHECK(text.find("\033[6A\033[J") != std::string::npos);  // header, table of 3 rows, footnote: 6 lines up
  CHECK(refreshes == 3);
}

TEST_CASE("metrics flags") {
  auto ok = ValidateMetricsFlags({.name = "chat", .interval = "250ms"});
  REQUIRE(ok.ok());
  CHECK(ok->interval == std::chrono::milliseconds(250));
  auto fast = ValidateMetricsFlags({.name = "chat", .interval = "10ms"});
  REQUIRE_FALSE(fast.ok());
  CHECK(fast.error().message() == "--interval must be at least 100ms, got 10ms");
  CHECK(ValidateMetricsFlags({}).error().message() == "a workload NAME is required (as given to serve)");
}

}  // namespace
}  // namespace llm

// The engine simulator is a test fixture; these check that what it serves is
// what the engines serve in the shapes the plugin reads (the integration tests
// then rely on it), using the plugin's own parsers.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <doctest/doctest.h>

#include "engine_sim/engine_profiles.h"
#include "engine_sim/simulator.h"
#include "render/serve_engine.h"
#include "util/sse_parser.h"
#include "workload/histogram_quantile.h"
#include "workload/openai_api.h"
#include "workload/prometheus_text.h"

namespace llm {
namespace {

using engine_sim::Steering;

Steering Steered(const std::string& engine) {
  Steering s;
  s.engine = engine;
  s.model = "org/m";
  s.running = 3;
  s.waiting = 7;
  s.kv_cache_usage = 0.42;
  s.ttft_observations = {0.05, 0.05, 0.3, 0.3, 0.7};
  s.e2e_observations = {1.2, 2.2};
  return s;
}

Exposition Scrape(const Steering& s, const engine_sim::Served& served = {}, double elapsed = 0) {
  auto parsed = ParsePrometheusText(engine_sim::Exposition(s, served, elapsed));
  REQUIRE_MESSAGE(parsed.ok(), (parsed.ok() ? "" : parsed.error().message()));
  return *parsed;
}

TEST_CASE("engine simulator: each engine's exposition parses and holds every name of the engine table") {
  for (const ServeEngine& engine : ServeEngines()) {
    CAPTURE(engine.name);
    const Exposition e = Scrape(Steered(std::string(engine.name)));
    const EngineMetrics& m = engine.metrics;
    MetricLabels match;
    if (!m.model_label.empty()) match = {{std::string(m.model_label), "org/m"}};
    for (std::string_view name :
         {m.requests_running, m.requests_waiting, m.kv_cache_usage, m.prompt_tokens_total, m.generation_tokens_total}) {
      if (name.empty()) continue;
      CAPTURE(name);
      CHECK_FALSE(e.Select(name, match).empty());
    }
    for (std::string_view family : {m.time_to_first_token_seconds, m.e2e_latency_seconds}) {
      if (family.empty()) continue;
      CAPTURE(family);
      CHECK(ObservationCount(BucketsOf(e, family, match)) > 0);
    }
    CHECK(e.Select(m.requests_running, match)[0]->value == 3);
    CHECK(e.Select(m.requests_waiting, match)[0]->value == 7);
    if (!m.kv_cache_usage.empty()) CHECK(e.Select(m.kv_cache_usage, match)[0]->value == doctest::Approx(0.42));
  }
}

TEST_CASE("engine simulator: steered observations land in vLLM's own TTFT buckets") {
  const Exposition e = Scrape(Steered("vllm"));
  const auto buckets = BucketsOf(e, "vllm:time_to_first_token_seconds", {{"model_name", "org/m"}});
  REQUIRE(buckets.size() == 23);  // 22 bounds and +Inf
  // 0.05 x2 in (0.04, 0.06], 0.3 x2 in (0.25, 0.5], 0.7 in (0.5, 0.75]:
  // p50 = 0.25 + 0.25 x (2.5 - 2) / 2 = 0.3125, p95 = 0.5 + 0.25 x (4.75 - 4) / 1 = 0.6875.
  CHECK(HistogramQuantile(0.5, buckets) == doctest::Approx(0.3125));
  CHECK(HistogramQuantile(0.95, buckets) == doctest::Approx(0.6875));
  const auto labelled = e.Select("vllm:num_requests_running");
  REQUIRE(labelled.size() == 1);
  CHECK(labelled[0]->labels == MetricLabels{{"model_name", "org/m"}, {"engine", "0"}});
}

TEST_CASE(
    "engine simulator: a renamed family, another model label, no model label, counters growing at the steered rate") {
  Steering s = Steered("vllm");
  s.rename = {{"vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc"}};
  s.model_label = "other";
  s.prompt_tokens_per_second = 100;
  engine_sim::Served served;
  served.prompt_tokens = 12;
  const Exposition e = Scrape(s, served, 2.5);
  CHECK_FALSE(e.Has("vllm:kv_cache_usage_perc"));
  CHECK(e.Has("vllm:gpu_cache_usage_perc"));
  CHECK(e.Select("vllm:num_requests_waiting", {{"model_name", "org/m"}}).empty());
  CHECK(e.Select("vllm:prompt_tokens_total", {{"model_name", "other"}})[0]->value == 262);  // 12 + 100 x 2.5
  s.drop_model_label = true;
  CHECK_FALSE(Scrape(s).Select("vllm:num_requests_waiting")[0]->Label("model_name").has_value());
}

TEST_CASE("engine simulator: steering files are checked") {
  std::string error;
  CHECK_FALSE(engine_sim::ParseSteering({{"engine", "triton"}}, error).has_value());
  CHECK(error == "engine must be vllm, sglang or tgi");
  error.clear();
  CHECK_FALSE(engine_sim::ParseSteering({{"metrics", {{"ttftObservations", {1, "x"}}}}}, error).has_value());
  CHECK(error == "ttftObservations must be a list of numbers");
  error.clear();
  auto ok = engine_sim::ParseSteering({{"health", "fail"}, {"generation", "error"}, {"ttftMs", 5}}, error);
  REQUIRE(ok.has_value());
  CHECK_FALSE(ok->healthy);
  CHECK(ok->generation_fails);
  CHECK(ok->ttft_ms == 5);
}

class StringWriter final : public engine_sim::StreamWriter {
 public:
  bool Write(const std::string& piece) override {
    text += piece;
    return true;
  }
  std::string text;
};

struct ControlDir {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("llm-engine-sim-unit-" + std::to_string(::getpid()));
  ControlDir() { std::filesystem::create_directories(dir / "pods"); }
  ~ControlDir() { std::filesystem::remove_all(dir); }
  void Steer(const std::string& ip, const nlohmann::json& doc) const {
    std::ofstream(dir / "pods" / (ip + ".json")) << doc.dump();
  }
};

engine_sim::HttpRequest Request(const std::string& method, const std::string& path, const std::string& ip,
                                const std::string& body = "") {
  engine_sim::HttpRequest r;
  r.method = method;
  r.path = path;
  r.local_ip = ip;
  r.body = body;
  return r;
}

TEST_CASE("engine simulator: answers per pod IP as the steering says") {
  ControlDir control;
  control.Steer("10.1.0.2", {{"engine", "vllm"}, {"model", "org/m"}, {"apiKey", "k"}});
  control.Steer("10.1.0.3", {{"engine", "sglang"}, {"model", "org/m"}, {"generation", "error"}});
  engine_sim::Simulator sim(control.dir.string());

  // A pod nobody steered: a healthy vLLM serving "default".
  auto models = sim.Handle(Request("GET", "/v1/models", "10.1.0.9"));
  CHECK(models.status == 200);
  CHECK(ModelIds(models.body).value() == std::vector<std::string>{"default"});
  CHECK(sim.Handle(Request("GET", "/health_generate", "10.1.0.9")).status == 404);  // vLLM has no such route

  // An API key: /v1 wants the bearer token; /health and /metrics do not.
  CHECK(sim.Handle(Request("GET", "/v1/models", "10.1.0.2")).status == 401);
  auto with_key = Request("GET", "/v1/models", "10.1.0.2");
  with_key.headers["authorization"] = "Bearer k";
  CHECK(sim.Handle(with_key).status == 200);
  CHECK(sim.Handle(Request("GET", "/health", "10.1.0.2")).status == 200);

  // A lying /health: 200, while generation and /health_generate fail.
  CHECK(sim.Handle(Request("GET", "/health", "10.1.0.3")).status == 200);
  CHECK(sim.Handle(Request("GET", "/health_generate", "10.1.0.3")).status == 503);
  auto failed = sim.Handle(
      Request("POST", "/v1/completions", "10.1.0.3", CompletionRequestBody("org/m", "Hello", 1, false).dump()));
  CHECK(failed.status == 500);
  CHECK(EngineErrorMessage(failed.body) == "CUDA error: an illegal memory access was encountered");

  // A wrong model id: vLLM's 404.
  auto wrong = sim.Handle(
      Request("POST", "/v1/completions", "10.1.0.9", CompletionRequestBody("org/other", "Hello", 1, false).dump()));
  CHECK(wrong.status == 404);
  CHECK(EngineErrorMessage(wrong.body) == "The model `org/other` does not exist.");
}

TEST_CASE("engine simulator: completions whole and streamed, and what they add to /metrics") {
  ControlDir control;
  engine_sim::Simulator sim(control.dir.string());
  auto whole = sim.Handle(
      Request("POST", "/v1/completions", "10.1.0.5", CompletionRequestBody("default", "Hello there", 1, false).dump()));
  REQUIRE(whole.status == 200);
  CHECK(ReadCompletion(whole.body, 1).value().completion_tokens == 1);

  auto streamed = sim.Handle(
      Request("POST", "/v1/completions", "10.1.0.5", CompletionRequestBody("default", "Hello there", 4, true).dump()));
  REQUIRE(streamed.stream);
  StringWriter out;
  streamed.stream(out);
  SseParser parser;
  int texts = 0;
  std::optional<int64_t> usage;
  bool done = false;
  parser.Feed(out.text, [&](const SseEvent& e) {
    auto chunk = ReadStreamChunk(e.data).value();
    texts += chunk.text.empty() ? 0 : 1;
    if (chunk.completion_tokens) usage = chunk.completion_tokens;
    done |= chunk.done;
    return true;
  });
  CHECK(texts == 4);
  CHECK(usage == 4);
  CHECK(done);

  auto metrics = sim.Handle(Request("GET", "/metrics", "10.1.0.5"));
  const Exposition e = ParsePrometheusText(metrics.body).value();
  CHECK(e.Select("vllm:prompt_tokens_total")[0]->value == 4);      // two prompts of two words
  CHECK(e.Select("vllm:generation_tokens_total")[0]->value == 5);  // 1 + 4
  CHECK(e.Select("vllm:e2e_request_latency_seconds_count")[0]->value == 2);
}

}  // namespace
}  // namespace llm

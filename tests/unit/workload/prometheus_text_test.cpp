#include "workload/prometheus_text.h"

#include <cmath>

#include <doctest/doctest.h>

namespace llm {
namespace {

// What prometheus_client (vLLM) writes: HELP and TYPE lines, labels in
// labelnames order, counters with _total, histogram _bucket/_count/_sum.
constexpr const char* kVllmScrape = R"(# HELP vllm:num_requests_running Number of requests in model execution batches.
# TYPE vllm:num_requests_running gauge
vllm:num_requests_running{engine="0",model_name="Qwen/Qwen2.5-0.5B-Instruct"} 3.0
# HELP vllm:prompt_tokens_total Number of prefill tokens processed.
# TYPE vllm:prompt_tokens_total counter
vllm:prompt_tokens_total{engine="0",model_name="Qwen/Qwen2.5-0.5B-Instruct"} 1234.0
# TYPE vllm:time_to_first_token_seconds histogram
vllm:time_to_first_token_seconds_bucket{engine="0",le="0.001",model_name="Qwen/Qwen2.5-0.5B-Instruct"} 0.0
vllm:time_to_first_token_seconds_bucket{engine="0",le="+Inf",model_name="Qwen/Qwen2.5-0.5B-Instruct"} 4.0
vllm:time_to_first_token_seconds_count{engine="0",model_name="Qwen/Qwen2.5-0.5B-Instruct"} 4.0
vllm:time_to_first_token_seconds_sum{engine="0",model_name="Qwen/Qwen2.5-0.5B-Instruct"} 0.52
)";

TEST_CASE("prometheus text: samples, labels and types as prometheus_client writes them") {
  auto parsed = ParsePrometheusText(kVllmScrape);
  REQUIRE_MESSAGE(parsed.ok(), (parsed.ok() ? "" : parsed.error().message()));
  CHECK(parsed->samples.size() == 6);
  CHECK(parsed->types.at("vllm:num_requests_running") == MetricType::kGauge);
  CHECK(parsed->types.at("vllm:prompt_tokens_total") == MetricType::kCounter);
  CHECK(parsed->types.at("vllm:time_to_first_token_seconds") == MetricType::kHistogram);
  const MetricSample& running = parsed->samples[0];
  CHECK(running.name == "vllm:num_requests_running");
  CHECK(running.value == 3.0);
  CHECK(running.Label("model_name") == std::optional<std::string_view>("Qwen/Qwen2.5-0.5B-Instruct"));
  CHECK(running.Label("engine") == std::optional<std::string_view>("0"));
  CHECK_FALSE(running.Label("pod").has_value());
  CHECK(parsed->Has("vllm:prompt_tokens_total"));
  CHECK_FALSE(parsed->Has("vllm:gpu_cache_usage_perc"));
  auto buckets = parsed->Select("vllm:time_to_first_token_seconds_bucket", {{"le", "+Inf"}});
  REQUIRE(buckets.size() == 1);
  CHECK(buckets[0]->value == 4.0);
  CHECK(parsed->Select("vllm:num_requests_running", {{"model_name", "other"}}).empty());
}

TEST_CASE("prometheus text: escapes, blanks, timestamps, special values and unlabelled series") {
  auto parsed = ParsePrometheusText(
      "tgi_queue_size 7\n"
      "\n"
      "  # a comment that is neither HELP nor TYPE\n"
      "weird{path=\"C:\\\\dir\",quote=\"say \\\"hi\\\"\",nl=\"a\\nb\",} +Inf 1712345678000\r\n"
      "neg\t{ a = \"1\" }\t-Inf\n"
      "nan_value NaN\n"
      "sci 1.5e-05\n");
  REQUIRE_MESSAGE(parsed.ok(), (parsed.ok() ? "" : parsed.error().message()));
  REQUIRE(parsed->samples.size() == 5);
  CHECK(parsed->samples[0].labels.empty());
  CHECK(parsed->samples[0].value == 7);
  const MetricSample& weird = parsed->samples[1];
  CHECK(weird.Label("path") == std::optional<std::string_view>("C:\\dir"));
  CHECK(weird.Label("quote") == std::optional<std::string_view>("say \"hi\""));
  CHECK(weird.Label("nl") == std::optional<std::string_view>("a\nb"));
  CHECK(std::isinf(weird.value));
  CHECK(parsed->samples[2].value == -INFINITY);
  CHECK(parsed->samples[2].Label("a") == std::optional<std::string_view>("1"));
  CHECK(std::isnan(parsed->samples[3].value));
  CHECK(parsed->samples[4].value == doctest::Approx(1.5e-05));
}

TEST_CASE("prometheus text: OpenMetrics stops at # EOF") {
  auto parsed = ParsePrometheusText("# TYPE a gauge\na 1\n# EOF\nthis is not read\n");
  REQUIRE(parsed.ok());
  CHECK(parsed->samples.size() == 1);
}

TEST_CASE("prometheus text: errors name the line and what was expected") {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"<html><body>502 Bad Gateway</body></html>\n", "line 1: expected a metric name, '#' or an empty line"},
      {"a 1\nb{le 2}\n", "line 2: expected '=' after label name 'le'"},
      {"a{x=\"1} 2\n", "line 1: the value of label 'x' is not closed by '\"'"},
      {"a{x=1} 2\n", "line 1: expected '\"' to open the value of label 'x'"},
      {"a{x=\"1\" y=\"2\"} 2\n", "line 1: expected ',' or '}' in the labels of a"},
      {"a\n", "line 1: expected a value after a"},
      {"a twelve\n", "line 1: 'twelve' is not a sample value of a"},
      {"a 1 soon\n", "line 1: 'soon' is not a timestamp after the value of a"},
      {"a 1 2 3\n", "line 1: unexpected '3' after the sample of a"},
      {"# TYPE a meter\n", "line 1: unknown metric type 'meter' for a (counter, gauge, histogram, summary or untyped)"},
      {"a{1x=\"2\"} 1\n", "line 1: expected a label name in a"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    auto parsed = ParsePrometheusText(c.text);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().message() == c.message);
  }
}

TEST_CASE("prometheus floats: Go's ParseFloat forms") {
  CHECK(ParsePrometheusFloat("1e0") == 1.0);
  CHECK(ParsePrometheusFloat(".2") == 0.2);
  CHECK(ParsePrometheusFloat("2.0e-1") == 0.2);
  CHECK(ParsePrometheusFloat("1_000") == 1000.0);
  CHECK(ParsePrometheusFloat("+inf") == INFINITY);
  CHECK(ParsePrometheusFloat("Inf") == INFINITY);
  CHECK_FALSE(ParsePrometheusFloat("").has_value());
  CHECK_FALSE(ParsePrometheusFloat("0x10").has_value());
  CHECK_FALSE(ParsePrometheusFloat("1.2.3").has_value());
  CHECK_FALSE(ParsePrometheusFloat("1e999").has_value());
}

}  // namespace
}  // namespace llm

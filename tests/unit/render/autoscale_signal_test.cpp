#include "render/autoscale_signal.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

const WorkloadSeries kChat{"ml", "chat"};

std::string Query(std::string_view signal, std::string_view engine) {
  auto query = AutoscaleQuery(*FindAutoscaleSignal(signal), *FindServeEngine(engine), kChat);
  REQUIRE_MESSAGE(query.ok(), (query.ok() ? "" : query.error().message()));
  return *query;
}

TEST_CASE("autoscale signals: each engine's own series, summed per pod set or as a p95 that reads 0 when idle") {
  CHECK(Query("queue", "vllm") == R"(sum(vllm:num_requests_waiting{namespace="ml",pod=~"chat-.+"}))");
  CHECK(Query("queue", "sglang") == R"(sum(sglang:num_queue_reqs{namespace="ml",pod=~"chat-.+"}))");
  CHECK(Query("queue", "tgi") == R"(sum(tgi_queue_size{namespace="ml",pod=~"chat-.+"}))");
  CHECK(Query("kv-cache", "vllm") == R"(sum(vllm:kv_cache_usage_perc{namespace="ml",pod=~"chat-.+"}))");
  CHECK(Query("kv-cache", "sglang") == R"(sum(sglang:token_usage{namespace="ml",pod=~"chat-.+"}))");
  CHECK(Query("ttft", "vllm") ==
        R"(histogram_quantile(0.95, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket{namespace="ml",)"
        R"(pod=~"chat-.+"}[2m]))) >= 0 or vector(0))");
}

TEST_CASE("autoscale signals: the target of a sum is per replica (AverageValue), a latency is compared as is") {
  CHECK(FindAutoscaleSignal("queue")->metric_type == "AverageValue");
  CHECK(FindAutoscaleSignal("kv-cache")->metric_type == "AverageValue");
  CHECK(FindAutoscaleSignal("ttft")->metric_type == "Value");
  CHECK(FindAutoscaleSignal("gpu") == nullptr);
  CHECK(AutoscaleSignalWords() == "queue, kv-cache, ttft");
}

TEST_CASE("autoscale signals: every engine exports the queue, and what it lacks is refused naming what it has") {
  for (const ServeEngine& engine : ServeEngines()) {
    CAPTURE(engine.name);
    CHECK(AutoscaleQuery(*FindAutoscaleSignal("queue"), engine, kChat).ok());
  }
  auto kv = AutoscaleQuery(*FindAutoscaleSignal("kv-cache"), *FindServeEngine("tgi"), kChat);
  REQUIRE_FALSE(kv.ok());
  CHECK(kv.error().kind() == ErrorKind::kUsage);
  CHECK(kv.error().message() ==
        "tgi exports no KV-cache usage gauge, so it cannot scale on kv-cache; it can on: queue");
}

TEST_CASE("autoscale signals: the selector quotes what it is given, and has no namespace when rendered without one") {
  CHECK(SeriesSelector({std::nullopt, "chat"}) == R"(pod=~"chat-.+")");
  CHECK(SeriesSelector({"a\"b", "c\\d"}) == R"(namespace="a\"b",pod=~"c\\d-.+")");
}

}  // namespace
}  // namespace llm

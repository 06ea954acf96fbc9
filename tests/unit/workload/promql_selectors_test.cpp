#include "workload/promql_selectors.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

TEST_CASE("promql selectors: the query serve --autoscale-metric renders") {
  auto selectors = VectorSelectors(R"(sum(vllm:num_requests_waiting{namespace="team-a",pod=~"chat-.+"}))");
  REQUIRE(selectors.ok());
  REQUIRE(selectors->size() == 1);
  const VectorSelector& s = (*selectors)[0];
  CHECK(s.metric == "vllm:num_requests_waiting");
  REQUIRE(s.matchers.size() == 2);
  CHECK(s.matchers[0].label == "namespace");
  CHECK(s.matchers[0].op == "=");
  CHECK(s.matchers[0].value == "team-a");
  CHECK(s.matchers[1].op == "=~");
  CHECK(s.matchers[1].value == "chat-.+");
}

TEST_CASE("promql selectors: aggregations, grouping labels, ranges, offsets and binary operators") {
  auto selectors = VectorSelectors(
      "histogram_quantile(0.95, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket{model_name='m'}[5m] "
      "offset 1m))) > bool 2 and on (pod) sum without (engine) (vllm:num_requests_running) / "
      "ignoring(x) {__name__=\"vllm:kv_cache_usage_perc\", model!~`a|b`} # a comment naming no_metric\n"
      " or avg(tgi_queue_size)");
  REQUIRE_MESSAGE(selectors.ok(), (selectors.ok() ? "" : selectors.error().message()));
  REQUIRE(selectors->size() == 4);
  CHECK((*selectors)[0].metric == "vllm:time_to_first_token_seconds_bucket");
  REQUIRE((*selectors)[0].matchers.size() == 1);
  CHECK((*selectors)[0].matchers[0].value == "m");
  CHECK((*selectors)[1].metric == "vllm:num_requests_running");
  CHECK((*selectors)[1].matchers.empty());
  CHECK((*selectors)[2].metric == "vllm:kv_cache_usage_perc");
  REQUIRE((*selectors)[2].matchers.size() == 1);
  CHECK((*selectors)[2].matchers[0].op == "!~");
  CHECK((*selectors)[2].matchers[0].value == "a|b");
  CHECK((*selectors)[3].metric == "tgi_queue_size");
}

TEST_CASE("promql selectors: errors name the offset") {
  auto unclosed = VectorSelectors("sum(x{a=\"1\"");
  REQUIRE_FALSE(unclosed.ok());
  CHECK(unclosed.error().message() == "offset 11: expected '}' to close the label matchers");
  auto no_op = VectorSelectors("x{a 1}");
  REQUIRE_FALSE(no_op.ok());
  CHECK(no_op.error().message() == "offset 4: expected =, !=, =~ or !~ after label 'a'");
  auto unquoted = VectorSelectors("x{a=1}");
  REQUIRE_FALSE(unquoted.ok());
  CHECK(unquoted.error().message() == "offset 4: expected a quoted value for label 'a'");
}

TEST_CASE("promql selectors: labels Prometheus adds from the scrape target") {
  CHECK(IsTargetLabel("pod"));
  CHECK(IsTargetLabel("namespace"));
  CHECK_FALSE(IsTargetLabel("model_name"));
  CHECK_FALSE(IsTargetLabel("model"));
}

}  // namespace
}  // namespace llm

#include "workload/histogram_quantile.h"

#include <cmath>

#include <doctest/doctest.h>

namespace llm {
namespace {

// Fixtures and expected values from Prometheus's own tests
// (promql/promqltest/testdata/histograms.test), fed through the exposition
// parser as a scrape would bring them.
constexpr const char* kFixtures = R"(
testhistogram_bucket{le="0.1", start="positive"} 50
testhistogram_bucket{le=".2", start="positive"} 70
testhistogram_bucket{le="1e0", start="positive"} 110
testhistogram_bucket{le="+Inf", start="positive"} 120
testhistogram_bucket{le="-.2", start="negative"} 10
testhistogram_bucket{le="-0.1", start="negative"} 20
testhistogram_bucket{le="0.3", start="negative"} 20
testhistogram_bucket{le="+Inf", start="negative"} 30
testhistogram2_bucket{le="0"} 0
testhistogram2_bucket{le="2"} 10
testhistogram2_bucket{le="4"} 20
testhistogram2_bucket{le="6"} 30
testhistogram2_bucket{le="+Inf"} 30
request_duration_seconds_bucket{job="job1", instance="ins1", le="0.1"} 10
request_duration_seconds_bucket{job="job1", instance="ins1", le="0.2"} 30
request_duration_seconds_bucket{job="job1", instance="ins1", le="+Inf"} 40
request_duration_seconds_bucket{job="job1", instance="ins2", le="0.1"} 20
request_duration_seconds_bucket{job="job1", instance="ins2", le="0.2"} 50
request_duration_seconds_bucket{job="job1", instance="ins2", le="+Inf"} 60
request_duration_seconds_bucket{job="job2", instance="ins1", le="0.1"} 30
request_duration_seconds_bucket{job="job2", instance="ins1", le="0.2"} 40
request_duration_seconds_bucket{job="job2", instance="ins1", le="+Inf"} 60
request_duration_seconds_bucket{job="job2", instance="ins2", le="0.1"} 40
request_duration_seconds_bucket{job="job2", instance="ins2", le="0.2"} 70
request_duration_seconds_bucket{job="job2", instance="ins2", le="+Inf"} 90
mixed_bucket{job="job1", instance="ins1", le="0.1"} 10
mixed_bucket{job="job1", instance="ins1", le="0.2"} 10
mixed_bucket{job="job1", instance="ins1", le="2e-1"} 10
mixed_bucket{job="job1", instance="ins1", le="2.0e-1"} 10
mixed_bucket{job="job1", instance="ins1", le="+Inf"} 40
)";

const Exposition& Fixtures() {
  static const Exposition parsed = ParsePrometheusText(kFixtures).value();
  return parsed;
}

double Quantile(double q, std::string_view family, const MetricLabels& match = {}) {
  return HistogramQuantile(q, BucketsOf(Fixtures(), family, match));
}

TEST_CASE("histogram_quantile: Prometheus's fixtures, positive and negative lowest buckets") {
  struct Case {
    double q;
    const char* start;
    double expected;
  };
  const Case cases[] = {
      {0, "positive", 0},       {0, "negative", -0.2},     // lowest bucket: 0 when positive, else its bound
      {0.2, "positive", 0.048}, {0.2, "negative", -0.2},   //
      {0.5, "positive", 0.15},  {0.5, "negative", -0.15},  //
      {0.8, "positive", 0.72},  {0.8, "negative", 0.3},    //
      {1, "positive", 1},       {1, "negative", 0.3},      // the +Inf bucket: the highest finite bound
  };
  for (const Case& c : cases) {
    CAPTURE(c.q);
    CAPTURE(c.start);
    CHECK(Quantile(c.q, "testhistogram", {{"start", c.start}}) == doctest::Approx(c.expected));
  }
}

TEST_CASE("histogram_quantile: results exactly in the middle of a bucket") {
  CHECK(Quantile(1.0 / 6.0, "testhistogram2") == doctest::Approx(1));
  CHECK(Quantile(0.5, "testhistogram2") == doctest::Approx(3));
  CHECK(Quantile(5.0 / 6.0, "testhistogram2") == doctest::Approx(5));
}

TEST_CASE("histogram_quantile: sum by (le) across series, and by job") {
  CHECK(Quantile(0.3, "request_duration_seconds") == doctest::Approx(0.075));
  CHECK(Quantile(0.5, "request_duration_seconds") == doctest::Approx(0.1277777777777778));
  CHECK(Quantile(0.3, "request_duration_seconds", {{"job", "job2"}}) == doctest::Approx(0.0642857142857143));
  CHECK(Quantile(0.5, "request_duration_seconds", {{"job", "job1"}}) == doctest::Approx(0.14));
  CHECK(Quantile(0.5, "request_duration_seconds", {{"job", "job2"}, {"instance", "ins2"}}) ==
        doctest::Approx(0.1166666666666667));
}

TEST_CASE("histogram_quantile: one bound written several ways is one bucket") {
  // 0.2, 2e-1 and 2.0e-1 coalesce into one bucket of 30 (Prometheus: mixed_bucket).
  const std::vector<HistogramBucket> buckets = BucketsOf(Fixtures(), "mixed", {{"instance", "ins1"}});
  REQUIRE(buckets.size() == 3);
  CHECK(buckets[1].upper_bound == 0.2);
  CHECK(buckets[1].count == 30);
  // rank 20 of 40 lies in (0.1, 0.2], which holds 10..30: 0.1 + 0.1 x (20-10)/20 (Prometheus' test: 0.15).
  CHECK(HistogramQuantile(0.5, buckets) == doctest::Approx(0.15));
}

TEST_CASE("histogram_quantile: the special cases") {
  const std::vector<HistogramBucket> ok = {{0.1, 1}, {HUGE_VAL, 2}};
  CHECK(std::isnan(HistogramQuantile(NAN, ok)));
  CHECK(HistogramQuantile(-0.1, ok) == -HUGE_VAL);
  CHECK(HistogramQuantile(1.01, ok) == HUGE_VAL);
  CHECK(std::isnan(HistogramQuantile(0.5, {})));
  CHECK(std::isnan(HistogramQuantile(0.5, {{HUGE_VAL, 3}})));            // fewer than two buckets
  CHECK(std::isnan(HistogramQuantile(0.5, {{0.1, 1}, {0.2, 2}})));       // no +Inf bucket
  CHECK(std::isnan(HistogramQuantile(0.5, {{0.1, 0}, {HUGE_VAL, 0}})));  // no observations
  // Non-monotonic counts are forced up (the envelope), as Prometheus does.
  CHECK(HistogramQuantile(0.5, {{0.1, 4}, {0.2, 2}, {HUGE_VAL, 8}}) == doctest::Approx(0.1));
}

TEST_CASE("bucket increase between two scrapes, and a reset") {
  const std::vector<HistogramBucket> before = {{0.1, 2}, {0.5, 5}, {HUGE_VAL, 6}};
  const std::vector<HistogramBucket> after = {{0.1, 3}, {0.5, 9}, {HUGE_VAL, 10}};
  std::vector<HistogramBucket> gained = BucketIncrease(before, after);
  REQUIRE(gained.size() == 3);
  CHECK(gained[0].count == 1);
  CHECK(gained[1].count == 4);
  CHECK(ObservationCount(gained) == 4);
  // The engine restarted between the scrapes: counts went down, all of `after` is new.
  std::vector<HistogramBucket> reset = BucketIncrease(after, before);
  CHECK(reset[2].count == 6);
  std::vector<HistogramBucket> total = before;
  AddBuckets(total, after);
  CHECK(ObservationCount(total) == 16);
  CHECK(total.size() == 3);
}

}  // namespace
}  // namespace llm

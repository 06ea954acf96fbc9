// PromQL's histogram_quantile over classic (le-bucketed) histograms, rule for
// rule as Prometheus computes it (promql/quantile.go bucketQuantile), so a
// p95 printed here equals what a dashboard's
//   histogram_quantile(0.95, sum by (le) (increase(X_bucket[...])))
// shows for the same buckets. Plus the bucket arithmetic around it: reading a
// family's buckets from an exposition, summing them by `le` across series and
// pods, and the increase between two scrapes.
#pragma once

#include <vector>

#include "workload/prometheus_text.h"

namespace llm {

struct HistogramBucket {
  double upper_bound = 0;  ///< the `le` label
  double count = 0;        ///< cumulative: observations <= upper_bound
};

/// The q-quantile, interpolated linearly inside the bucket it falls in:
///  - NaN for q NaN, no observations, fewer than two buckets, or no +Inf bucket;
///  - -Inf for q < 0, +Inf for q > 1;
///  - in the +Inf bucket: the highest finite upper bound;
///  - in the lowest bucket: interpolated from 0 when its bound is positive,
///    else that bound itself.
/// Buckets with the same bound are added up and counts forced monotonic
/// (errors of 1e-12 relative treated as equal), as Prometheus does.
double HistogramQuantile(double q, std::vector<HistogramBucket> buckets);

/// The buckets of histogram `family` (its `<family>_bucket` samples that carry
/// every label of `match`), summed by `le` across the remaining labels
/// (`sum by (le)`); sorted by bound. Samples whose `le` is not a number are
/// skipped. Empty when the family has no bucket samples.
std::vector<HistogramBucket> BucketsOf(const Exposition& exposition, std::string_view family,
                                       const MetricLabels& match = {});

/// Adds `more` to `into` by bound (sum by (le) across pods).
void AddBuckets(std::vector<HistogramBucket>& into, const std::vector<HistogramBucket>& more);

/// What each bucket gained from `before` to `after` (PromQL's increase over two
/// samples); a bucket that went down was reset (the engine restarted), so its
/// whole `after` count is new. Bounds only in `after` count from zero.
std::vector<HistogramBucket> BucketIncrease(const std::vector<HistogramBucket>& before,
                                            const std::vector<HistogramBucket>& after);

/// The total number of observations: the +Inf bucket's count (0 when absent).
double ObservationCount(const std::vector<HistogramBucket>& buckets);

}  // namespace llm

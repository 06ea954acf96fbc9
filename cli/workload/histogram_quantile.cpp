#include "workload/histogram_quantile.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace llm {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

void SortByBound(std::vector<HistogramBucket>& buckets) {
  std::stable_sort(buckets.begin(), buckets.end(),
                   [](const HistogramBucket& a, const HistogramBucket& b) { return a.upper_bound < b.upper_bound; });
}

/// Buckets with one bound written two ways ("0.2", "2e-1") are one bucket.
void Coalesce(std::vector<HistogramBucket>& buckets) {
  std::vector<HistogramBucket> out;
  for (const HistogramBucket& b : buckets) {
    if (!out.empty() && out.back().upper_bound == b.upper_bound) {
      out.back().count += b.count;
    } else {
      out.push_back(b);
    }
  }
  buckets = std::move(out);
}

/// Float sums across series can leave a later bucket a hair below an earlier one.
void CorrectPrecisionErrors(std::vector<HistogramBucket>& buckets, double tolerance) {
  double previous = buckets[0].count;
  for (size_t i = 1; i < buckets.size(); ++i) {
    const double current = buckets[i].count;
    const double delta = std::fabs(current - previous);
    if (delta == 0) continue;
    if (delta / current <= tolerance) {
      buckets[i].count = previous;
    } else {
      previous = current;
    }
  }
}

/// The envelope of the counts: a later bucket never holds fewer than an earlier one.
void EnsureMonotonic(std::vector<HistogramBucket>& buckets) {
  double max = buckets[0].count;
  for (size_t i = 1; i < buckets.size(); ++i) {
    if (buckets[i].count > max) {
      max = buckets[i].count;
    } else if (buckets[i].count < max) {
      buckets[i].count = max;
    }
  }
}

}  // namespace

double HistogramQuantile(double q, std::vector<HistogramBucket> buckets) {
  if (std::isnan(q)) return kNaN;
  if (q < 0) return -kInf;
  if (q > 1) return kInf;
  if (buckets.empty()) return kNaN;
  SortByBound(buckets);
  if (!std::isinf(buckets.back().upper_bound) || buckets.back().upper_bound < 0) return kNaN;
  Coalesce(buckets);
  CorrectPrecisionErrors(buckets, 1e-12);
  EnsureMonotonic(buckets);
  if (buckets.size() < 2) return kNaN;
  const double observations = buckets.back().count;
  if (observations == 0) return kNaN;
  double rank = q * observations;
  // The first bucket (the +Inf one excluded) holding the rank; the +Inf one when none does.
  size_t b = 0;
  while (b < buckets.size() - 1 && buckets[b].count < rank) ++b;
  if (b == buckets.size() - 1) return buckets[buckets.size() - 2].upper_bound;
  if (b == 0 && buckets[0].upper_bound <= 0) return buckets[0].upper_bound;
  double start = 0;
  const double end = buckets[b].upper_bound;
  double count = buckets[b].count;
  if (b > 0) {
    start = buckets[b - 1].upper_bound;
    count -= buckets[b - 1].count;
    rank -= buckets[b - 1].count;
  }
  return start + (end - start) * (rank / count);
}

std::vector<HistogramBucket> BucketsOf(const Exposition& exposition, std::string_view family,
                                       const MetricLabels& match) {
  std::vector<HistogramBucket> out;
  for (const MetricSample* sample : exposition.Select(std::string(family) + "_bucket", match)) {
    std::optional<std::string_view> le = sample->Label("le");
    std::optional<double> bound = le ? ParsePrometheusFloat(*le) : std::nullopt;
    if (!bound || std::isnan(*bound)) continue;
    out.push_back({*bound, sample->value});
  }
  SortByBound(out);
  Coalesce(out);
  return out;
}

void AddBuckets(std::vector<HistogramBucket>& into, const std::vector<HistogramBucket>& more) {
  into.insert(into.end(), more.begin(), more.end());
  SortByBound(into);
  Coalesce(into);
}

std::vector<HistogramBucket> BucketIncrease(const std::vector<HistogramBucket>& before,
                                            const std::vector<HistogramBucket>& after) {
  std::vector<HistogramBucket> out;
  for (const HistogramBucket& now : after) {
    double gained = now.count;
    for (const HistogramBucket& then : before) {
      if (then.upper_bound == now.upper_bound && then.count <= now.count) gained = now.count - then.count;
    }
    out.push_back({now.upper_bound, gained});
  }
  return out;
}

double ObservationCount(const std::vector<HistogramBucket>& buckets) {
  for (const HistogramBucket& b : buckets) {
    if (std::isinf(b.upper_bound) && b.upper_bound > 0) return b.count;
  }
  return 0;
}

}  // namespace llm

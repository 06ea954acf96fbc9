#include "statistics.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace llm::gpu_check {

double Median(std::span<const double> values) {
  if (values.empty()) return 0;
  std::vector<double> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  const std::size_t mid = sorted.size() / 2;
  return sorted.size() % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

SampleStats Summarize(std::span<const double> samples) {
  SampleStats stats;
  if (samples.empty()) return stats;
  stats.count = samples.size();
  stats.median = Median(samples);
  const auto [lo, hi] = std::minmax_element(samples.begin(), samples.end());
  stats.min = *lo;
  stats.max = *hi;
  stats.mean = std::accumulate(samples.begin(), samples.end(), 0.0) / static_cast<double>(samples.size());
  double sq = 0;
  for (double s : samples) sq += (s - stats.mean) * (s - stats.mean);
  const double stddev = std::sqrt(sq / static_cast<double>(samples.size()));
  stats.cv = stats.mean != 0 ? stddev / stats.mean : 0;
  return stats;
}

}  // namespace llm::gpu_check

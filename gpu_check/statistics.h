// SampleStats: the summary of repeated timings that every verdict is based on.
#pragma once

#include <cstddef>
#include <span>

namespace llm::gpu_check {

/// Median, min, max, mean and coefficient of variation (stddev / mean, with
/// the population stddev) of a set of samples. Verdicts use the median, which a
/// single disturbed sample cannot move; cv shows how noisy the run was.
struct SampleStats {
  std::size_t count = 0;
  double median = 0;
  double min = 0;
  double max = 0;
  double mean = 0;
  double cv = 0;
};

/// Summarises `samples`; all fields are 0 when there are none.
SampleStats Summarize(std::span<const double> samples);

/// The median (mean of the two middle values for an even count); 0 when empty.
double Median(std::span<const double> values);

}  // namespace llm::gpu_check

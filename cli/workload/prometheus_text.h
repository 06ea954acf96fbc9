// The Prometheus text exposition format (version 0.0.4: what vLLM, SGLang and
// TGI serve at /metrics, through prometheus_client and metrics-exporter-
// prometheus), parsed into samples as written, so callers pick series by name
// and labels the way a PromQL selector does. Also reads OpenMetrics text up to
// its "# EOF". Nothing engine-specific lives here.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/result.h"

namespace llm {

enum class MetricType { kUntyped, kCounter, kGauge, kHistogram, kSummary };

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

/// One line of the exposition: `name{labels} value [timestamp]`.
struct MetricSample {
  std::string name;     ///< the series name as written, e.g. vllm:e2e_request_latency_seconds_bucket
  MetricLabels labels;  ///< in written order, values unescaped
  double value = 0;

  /// The value of label `key`, nullopt when the sample has no such label.
  std::optional<std::string_view> Label(std::string_view key) const;
};

struct Exposition {
  std::vector<MetricSample> samples;
  /// Family name -> its "# TYPE" line; families without one are absent.
  std::map<std::string, MetricType, std::less<>> types;

  /// Whether any sample is named `name`.
  bool Has(std::string_view name) const;
  /// Samples named `name` that carry every (label, value) of `match`.
  std::vector<const MetricSample*> Select(std::string_view name, const MetricLabels& match = {}) const;
};

/// Parses a whole exposition. An error names the line and what was expected
/// ("line 12: expected '=' after label name 'le'"); a scrape that is not the
/// text format (an HTML error page) fails on its first line.
Result<Exposition> ParsePrometheusText(std::string_view text);

/// A sample value or bucket bound as the format writes it: a Go float
/// ("1.5", "1e-05", ".2"), "+Inf"/"Inf"/"-Inf" or "NaN" in any case.
std::optional<double> ParsePrometheusFloat(std::string_view text);

}  // namespace llm

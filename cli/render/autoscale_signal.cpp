#include "render/autoscale_signal.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace llm {
namespace {

// TTFT is judged on the 95th percentile over this window: long enough to hold
// a few requests at low traffic, short enough to react within a minute or two.
constexpr std::string_view kTtftWindow = "2m";

constexpr AutoscaleSignalRow kSignals[] = {
    {AutoscaleSignal::kQueue, "queue", "5", "AverageValue", "requests waiting per replica", "queue-length gauge",
     &EngineMetrics::requests_waiting},
    {AutoscaleSignal::kKvCache, "kv-cache", "0.8", "AverageValue", "KV-cache usage per replica, 0 to 1",
     "KV-cache usage gauge", &EngineMetrics::kv_cache_usage},
    {AutoscaleSignal::kTtft, "ttft", "1", "Value", "p95 time to first token in seconds",
     "time-to-first-token histogram", &EngineMetrics::time_to_first_token_seconds},
};

/// PromQL string literal: backslash and double quote escaped.
std::string PromQuote(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '\\' || ch == '"') out += '\\';
    out += ch;
  }
  return out + "\"";
}

}  // namespace

std::span<const AutoscaleSignalRow> AutoscaleSignals() { return kSignals; }

const AutoscaleSignalRow* FindAutoscaleSignal(std::string_view word) {
  auto found = std::find_if(std::begin(kSignals), std::end(kSignals),
                            [&](const AutoscaleSignalRow& row) { return row.word == word; });
  return found == std::end(kSignals) ? nullptr : &*found;
}

std::string AutoscaleSignalWords() {
  std::vector<std::string_view> words;
  for (const AutoscaleSignalRow& row : kSignals) words.push_back(row.word);
  return fmt::format("{}", fmt::join(words, ", "));
}

std::string SeriesSelector(const WorkloadSeries& where) {
  std::string selector = fmt::format("pod=~{}", PromQuote(where.name + "-.+"));
  if (where.ns) selector = fmt::format("namespace={},{}", PromQuote(*where.ns), selector);
  return selector;
}

Result<std::string> AutoscaleQuery(const AutoscaleSignalRow& signal, const ServeEngine& engine,
                                   const WorkloadSeries& where) {
  const std::string_view metric = engine.metrics.*signal.metric;
  if (metric.empty()) {
    return Error(ErrorKind::kUsage, fmt::format("{} exports no {}, so it cannot scale on {}; it can on: {}",
                                                engine.name, signal.series, signal.word, [&] {
                                                  std::vector<std::string_view> can;
                                                  for (const AutoscaleSignalRow& row : kSignals) {
                                                    if (!(engine.metrics.*row.metric).empty()) can.push_back(row.word);
                                                  }
                                                  return fmt::format("{}", fmt::join(can, ", "));
                                                }()));
  }
  const std::string selector = SeriesSelector(where);
  switch (signal.signal) {
    case AutoscaleSignal::kQueue:
    case AutoscaleSignal::kKvCache:
      // Summed over the pods; AverageValue makes the target per replica.
      return fmt::format("sum({}{{{}}})", metric, selector);
    case AutoscaleSignal::kTtft:
      // With no request in the window the quantile is NaN, which KEDA cannot
      // compare: NaN >= 0 is false, so the series drops out and reads 0.
      return fmt::format("histogram_quantile(0.95, sum by (le) (rate({}_bucket{{{}}}[{}]))) >= 0 or vector(0)", metric,
                         selector, kTtftWindow);
  }
  return Error(ErrorKind::kInternal, "unknown autoscale signal");
}

}  // namespace llm

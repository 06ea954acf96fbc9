// What `serve --autoscale-metric` scales on: one row per signal the engine
// itself knows (its queue, its KV-cache pressure, its time to first token),
// the PromQL built from the engine table's metric names, the KEDA metric type
// that makes the target mean what the user typed, and the default target.
// A signal the engine does not export is refused with the reason, so a
// ScaledObject is never rendered on a series that cannot exist.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "render/serve_engine.h"
#include "util/result.h"

namespace llm {

enum class AutoscaleSignal { kQueue, kKvCache, kTtft };

struct AutoscaleSignalRow {
  AutoscaleSignal signal;
  std::string_view word;            ///< --autoscale-metric WORD[=TARGET]
  std::string_view default_target;  ///< KEDA threshold when no =TARGET
  /// KEDA's metricType: AverageValue divides the query's value by the replica
  /// count (a per-replica target for sums), Value compares it as is.
  std::string_view metric_type;
  std::string_view target_means;            ///< for help: what TARGET is
  std::string_view series;                  ///< for errors: what the engine must export
  std::string_view EngineMetrics::*metric;  ///< the engine table's series it reads
};

/// queue, kv-cache, ttft: the table, in help order.
std::span<const AutoscaleSignalRow> AutoscaleSignals();
const AutoscaleSignalRow* FindAutoscaleSignal(std::string_view word);
/// "queue, kv-cache, ttft", for help and errors.
std::string AutoscaleSignalWords();

/// Where the workload's series are: the Prometheus target labels a PodMonitor
/// (and kubernetes_sd with the usual relabeling) gives every sample.
struct WorkloadSeries {
  std::optional<std::string> ns;  ///< nullopt: rendered without a namespace
  std::string name;               ///< pods are NAME-<hash>, NAME-<index>...
};

/// The PromQL selector body: namespace="ml",pod=~"chat-.+".
std::string SeriesSelector(const WorkloadSeries& where);

/// The query for `signal` on `engine`; an error naming the engine and the
/// signal when the engine exports no such series.
Result<std::string> AutoscaleQuery(const AutoscaleSignalRow& signal, const ServeEngine& engine,
                                   const WorkloadSeries& where);

}  // namespace llm

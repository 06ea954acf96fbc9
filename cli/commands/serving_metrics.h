// What `kubectl llm metrics` computes from two scrapes of each serving pod's
// /metrics, read through the engine table's names (render/serve_engine.h):
// requests running and waiting, KV-cache usage, prompt and generation tokens
// per second (counter increase over the time between the scrapes), and TTFT
// and end-to-end latency p50/p95 with PromQL's histogram_quantile over the
// buckets gained between the scrapes (over the engine's lifetime when no
// request finished in between; the result says which). Every series is
// filtered by the engine's model label equal to the served model name, as
// vLLM and SGLang label them. Per pod and in total (sums; KV usage averaged;
// quantiles over the buckets of all pods summed by le).
//
// And what `metrics --check` requires of a live exposition: every metric of
// the engine row with the model label, and every metric (with the labels it
// filters on, Prometheus' target labels aside) of the workload's autoscaler
// queries.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "render/serve_engine.h"
#include "workload/histogram_quantile.h"
#include "workload/prometheus_text.h"

namespace llm {

/// Where a quantile's buckets came from.
enum class LatencyWindow {
  kNone,      ///< no observation at all
  kInterval,  ///< requests that finished between the two scrapes
  kLifetime,  ///< none did: every request since the engine started
};

struct LatencySummary {
  std::optional<double> p50;
  std::optional<double> p95;
  double observations = 0;
  LatencyWindow window = LatencyWindow::kNone;
};

struct PodMetrics {
  std::string pod;
  std::string error;  ///< the scrape failed: why ("" when it worked)
  std::optional<double> running;
  std::optional<double> waiting;
  std::optional<double> kv_cache_usage;  ///< 0..1
  std::optional<double> prompt_tokens_per_second;
  std::optional<double> generation_tokens_per_second;
  LatencySummary ttft;
  LatencySummary e2e;
  /// Buckets gained between the scrapes and the buckets at the second one, for the total.
  std::vector<HistogramBucket> ttft_gained, ttft_now, e2e_gained, e2e_now;
};

/// The series of one scrape that belong to the served model.
struct ModelSelection {
  const ServeEngine* engine = nullptr;
  std::string served_model;
  /// {model_label: served_model}, or nothing for an engine without a model label.
  MetricLabels Match() const;
};

/// One pod from two scrapes `interval` apart.
PodMetrics ReadPodMetrics(const ModelSelection& selection, const std::string& pod, const Exposition& first,
                          const Exposition& second, std::chrono::duration<double> interval);

/// The total over pods that were scraped (those with an error are left out).
PodMetrics TotalMetrics(const std::vector<PodMetrics>& pods);

/// A metric the table or the autoscaler reads, missing or mislabelled on a pod.
struct MetricProblem {
  std::string pod;
  std::string metric;
  std::string problem;  ///< "is absent from /metrics", "has no model_name label", ...
  std::string used_by;  ///< "the KV CACHE column", "ScaledObject chat's query"
  std::string Sentence() const;
};

/// A Prometheus query serve rendered for the workload: a ScaledObject
/// trigger's, or a dashboard panel's.
struct RenderedQuery {
  std::string owner;  ///< "ScaledObject chat", "dashboard chat-dashboard's panel \"Queue time\""
  std::string query;
};

/// The queries of the Grafana dashboards a ConfigMap holds (serve --dashboard:
/// every panel's targets' expr), each owned by its panel; none when it holds none.
std::vector<RenderedQuery> DashboardQueries(const nlohmann::json& config_map);

/// Every problem of one pod's exposition.
std::vector<MetricProblem> CheckExposition(const ModelSelection& selection, const std::string& pod,
                                           const Exposition& exposition, const std::vector<RenderedQuery>& queries);

/// "-", "3", "42.0%", "120.5", "85ms", "1.52s" cells.
std::string MetricsTable(const std::vector<PodMetrics>& pods, const PodMetrics& total);

/// The `kubectl-llm.dev/v1alpha1` ServingMetrics object -o json|yaml prints.
nlohmann::ordered_json ServingMetricsJson(const std::string& name, const std::string& ns,
                                          const ModelSelection& selection, double interval_seconds,
                                          const std::vector<PodMetrics>& pods, const PodMetrics& total,
                                          const std::optional<std::vector<MetricProblem>>& problems);

}  // namespace llm

// Inference engines `serve` knows, as one data table: each row holds
// everything engine-specific (image, launch lines, health paths, metric names),
// so adding an engine is adding a row, and flag help and errors are built from
// the table.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace llm {

struct LaunchParams {
  std::string model;
  std::optional<std::string> served_model_name;
  int port = 8000;
  int tensor_parallel = 1;
  int pipeline_parallel = 1;
  int nodes = 1;
  std::optional<long long> max_model_len;
  std::vector<std::string> user_args;  ///< --arg, appended last so they can override
};

/// The container's command and args. User values only ever go into args (never
/// into a shell script), so no value can change what the shell runs.
struct Launch {
  std::vector<std::string> command;
  std::vector<std::string> args;
};

/// The engine's Prometheus names, from its own documentation (sources in
/// serve_engine.cpp); "" where the engine exports no such series. Gauges and
/// counters are sample names as the exposition writes them; histograms are
/// family names (their samples are FAMILY_bucket{le}, _sum, _count).
/// `kubectl llm metrics` reads the first seven and `metrics --check` requires
/// each that is not "" on a live pod, with `model_label`; the dashboard
/// (render/dashboard_panels.h) and the ScaledObject read them all, and
/// `metrics --check` checks every query of theirs on the live pods.
struct EngineMetrics {
  std::string_view requests_running;             ///< gauge
  std::string_view requests_waiting;             ///< gauge: the queue --autoscale-metric=queue scales on
  std::string_view kv_cache_usage;               ///< gauge, 0..1
  std::string_view time_to_first_token_seconds;  ///< histogram
  std::string_view e2e_latency_seconds;          ///< histogram
  std::string_view prompt_tokens_total;          ///< counter (or a histogram's _sum: never decreases either)
  std::string_view generation_tokens_total;      ///< counter (likewise)
  std::string_view model_label;                  ///< label naming the served model on every series ("" if none)
  std::string_view requests_total;               ///< counter of finished requests (the dashboard's QPS)
  std::string_view inter_token_latency_seconds;  ///< histogram
  std::string_view queue_time_seconds;           ///< histogram: time a request waited before it ran
};

struct ServeEngine {
  std::string_view name;               ///< --engine word
  std::string_view default_image;      ///< pinned, never :latest
  std::string_view probe_path;         ///< cheap HTTP path for the pod's readiness/liveness probes
  std::string_view health_check_path;  ///< deepest health endpoint (an endpoint test asks it)
  std::string_view metrics_path;       ///< Prometheus exposition, on the serving port
  /// The flag whose value /v1/models lists instead of the model ("" when the
  /// engine always lists the model it loaded).
  std::string_view served_name_flag;
  EngineMetrics metrics;
  bool pipeline_parallel;  ///< accepts a pipeline-parallel size
  /// The serving container (the only one on one node, else the leader), without --arg.
  Launch (*leader)(const LaunchParams&);
  /// The workers of a multi-node group; null when the engine runs on one node only.
  Launch (*worker)(const LaunchParams&);

  bool multi_node() const { return worker != nullptr; }
};

/// Every engine; the first is the default.
std::span<const ServeEngine> ServeEngines();
const ServeEngine* FindServeEngine(std::string_view name);
/// "vllm, sglang, tgi" (only those that pass `filter`, when given), for help and errors.
std::string ServeEngineNames(bool (*filter)(const ServeEngine&) = nullptr);

/// The serving container: the only container when nodes == 1, else the leader.
Launch LeaderLaunch(const ServeEngine& engine, const LaunchParams& params);
/// The worker containers of a multi-node group (nodes > 1).
Launch WorkerLaunch(const ServeEngine& engine, const LaunchParams& params);

}  // namespace llm

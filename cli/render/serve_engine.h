// Inference engines `serve` knows, as a data table, and how each one starts on
// one node or as the leader/workers of a multi-node group.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace llm {

struct ServeEngine {
  std::string_view name;           ///< --engine word
  std::string_view default_image;  ///< pinned, never :latest
  std::string_view health_path;    ///< HTTP probe path on the serving port
  std::string_view queue_metric;   ///< Prometheus metric of waiting requests (KEDA trigger)
  bool multi_node;                 ///< can span nodes (LeaderWorkerSet)
  bool pipeline_parallel;          ///< accepts a pipeline-parallel size
};

const ServeEngine* FindServeEngine(std::string_view name);
/// "vllm, sglang, tgi", for error messages.
std::string KnownServeEngines();

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

/// The serving container: the only container when nodes == 1, else the leader.
Launch LeaderLaunch(const ServeEngine& engine, const LaunchParams& params);
/// The worker containers of a multi-node group (nodes > 1).
Launch WorkerLaunch(const ServeEngine& engine, const LaunchParams& params);

}  // namespace llm

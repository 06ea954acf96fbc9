// What the tests tell the simulator about one pod IP (the steering file), and
// what that pod has served since (tokens, latencies), which its /metrics adds
// to what it was told to expose.
//
// Steering files live in the control directory: `pods/<IP>.json` for one pod,
// `default.json` for every other; without either a pod is a healthy vLLM
// serving "default". A file that changes resets the pod's state (counters
// start again from the time of the change). Fields, all optional:
//   engine        "vllm" | "sglang" | "tgi"
//   model         the id /v1/models lists and completions answer to
//   health        "ok" | "fail"        (/health: what the pod says about itself)
//   generation    "ok" | "error"       (completions fail with the engine's 500; /health_generate too)
//   apiKey        completions and /v1/models want "Authorization: Bearer <apiKey>", else 401
//   ttftMs, itlMs latency before the first token and between tokens
//   metrics: running, waiting, kvCacheUsage (gauges); promptTokensPerSecond,
//            generationTokensPerSecond (counters grow at this rate);
//            ttftObservations, e2eObservations (seconds, put into the engine's buckets);
//            rename {"old name": "new name"} (a family written under another name);
//            modelLabel (the model label's value, default: model); dropModelLabel (bool)
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace llm::engine_sim {

struct Steering {
  std::string engine = "vllm";
  std::string model = "default";
  bool healthy = true;
  bool generation_fails = false;
  std::string api_key;
  int ttft_ms = 0;
  int itl_ms = 0;
  double running = 0;
  double waiting = 0;
  double kv_cache_usage = 0;
  double prompt_tokens_per_second = 0;
  double generation_tokens_per_second = 0;
  std::vector<double> ttft_observations;
  std::vector<double> e2e_observations;
  std::map<std::string, std::string> rename;
  std::optional<std::string> model_label;
  bool drop_model_label = false;
};

/// The steering in `doc`, or the first field that is wrong ("engine must be vllm, sglang or tgi").
std::optional<Steering> ParseSteering(const nlohmann::json& doc, std::string& error);

/// What /metrics exposes besides the steering: what the pod served.
struct Served {
  double prompt_tokens = 0;
  double generation_tokens = 0;
  int in_flight = 0;
  int succeeded = 0;
  std::vector<double> ttft;
  std::vector<double> e2e;
};

/// One pod's steering and what it served under it.
struct PodState {
  Steering steering;
  std::string error;  ///< the steering file could not be read: every request answers 500 with this
  std::chrono::steady_clock::time_point since = std::chrono::steady_clock::now();
  std::mutex mu;
  Served served;  ///< guarded by mu
};

class PodStates {
 public:
  explicit PodStates(std::string control_dir) : dir_(std::move(control_dir)) {}
  /// The state for `ip`, re-read when its steering file changed.
  std::shared_ptr<PodState> For(const std::string& ip);

 private:
  struct Entry {
    std::string path;
    long long mtime_ns = -1;
    long long size = -1;
    std::shared_ptr<PodState> state;
  };
  std::string dir_;
  std::mutex mu_;
  std::map<std::string, Entry> entries_;
};

}  // namespace llm::engine_sim

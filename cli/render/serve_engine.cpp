#include "render/serve_engine.h"

namespace llm {
namespace {

constexpr int kSglangDistPort = 20000;

// The leader starts the Ray head, then vLLM, which waits for the workers' GPUs
// to join the Ray cluster before it places the model. "$@" carries the args.
constexpr const char* kVllmLeaderScript =
    "ray start --head --port=6379 --disable-usage-stats && exec vllm serve \"$@\"";
// Workers wait for the head instead of failing: a failed worker would make
// LeaderWorkerSet recreate the whole group.
constexpr const char* kVllmWorkerScript =
    "until ray health-check --address \"$LWS_LEADER_ADDRESS:6379\" >/dev/null 2>&1; do "
    "echo waiting for the Ray head at $LWS_LEADER_ADDRESS; sleep 5; done; "
    "exec ray start --address=\"$LWS_LEADER_ADDRESS:6379\" --disable-usage-stats --block";

void Append(std::vector<std::string>& args, std::initializer_list<std::string> more) { args.insert(args.end(), more); }

Launch VllmLeader(const LaunchParams& p) {
  std::vector<std::string> args = {p.model,
                                   "--host",
                                   "0.0.0.0",
                                   "--port",
                                   std::to_string(p.port),
                                   "--tensor-parallel-size",
                                   std::to_string(p.tensor_parallel)};
  if (p.pipeline_parallel > 1) Append(args, {"--pipeline-parallel-size", std::to_string(p.pipeline_parallel)});
  if (p.nodes > 1) Append(args, {"--distributed-executor-backend", "ray"});
  if (p.max_model_len) Append(args, {"--max-model-len", std::to_string(*p.max_model_len)});
  if (p.served_model_name) Append(args, {"--served-model-name", *p.served_model_name});
  std::vector<std::string> command = p.nodes > 1
                                         ? std::vector<std::string>{"/bin/sh", "-c", kVllmLeaderScript, "vllm-leader"}
                                         : std::vector<std::string>{"vllm", "serve"};
  return Launch{std::move(command), std::move(args)};
}

Launch VllmWorker(const LaunchParams&) { return Launch{{"/bin/sh", "-c", kVllmWorkerScript}, {}}; }

Launch SglangServer(const LaunchParams& p) {
  std::vector<std::string> args = {"--model-path",    p.model,
                                   "--host",          "0.0.0.0",
                                   "--port",          std::to_string(p.port),
                                   "--tp-size",       std::to_string(p.tensor_parallel),
                                   "--enable-metrics"};
  if (p.pipeline_parallel > 1) Append(args, {"--pp-size", std::to_string(p.pipeline_parallel)});
  if (p.max_model_len) Append(args, {"--context-length", std::to_string(*p.max_model_len)});
  if (p.served_model_name) Append(args, {"--served-model-name", *p.served_model_name});
  if (p.nodes > 1) {
    // $(VAR) is expanded by the kubelet from the env LeaderWorkerSet injects.
    Append(args, {"--nnodes", std::to_string(p.nodes), "--node-rank", "$(LWS_WORKER_INDEX)", "--dist-init-addr",
                  "$(LWS_LEADER_ADDRESS):" + std::to_string(kSglangDistPort)});
  }
  return Launch{{"python3", "-m", "sglang.launch_server"}, std::move(args)};
}

Launch TgiServer(const LaunchParams& p) {
  std::vector<std::string> args = {"--model-id",  p.model,
                                   "--hostname",  "0.0.0.0",
                                   "--port",      std::to_string(p.port),
                                   "--num-shard", std::to_string(p.tensor_parallel)};
  if (p.max_model_len) Append(args, {"--max-total-tokens", std::to_string(*p.max_model_len)});
  return Launch{{"text-generation-launcher"}, std::move(args)};
}

// Metric names: vLLM V1 (vllm-project/vllm docs/design/metrics.md; the old
// vllm:gpu_cache_usage_perc is no longer emitted), SGLang with --enable-metrics
// (docs.sglang.io references/production_metrics), TGI
// (huggingface.co/docs/text-generation-inference/reference/metrics: no KV-cache
// gauge, no time-to-first-token histogram, no model label, no token counters:
// the sums of its per-request histograms tgi_request_input_length and
// tgi_request_generated_tokens count the same tokens).
// The dashboard's series: vLLM's request_success_total (label finished_reason),
// inter_token_latency_seconds and request_queue_time_seconds (V1 names; before
// V1 inter-token latency was time_per_output_token_seconds); SGLang's
// num_requests_total and inter_token_latency_seconds (python/sglang/srt/metrics/
// collector.py) but no queue-time histogram in its documented production
// metrics, so its dashboard has no queue-time panel; TGI's tgi_request_count,
// tgi_request_mean_time_per_token_duration (each request's mean time per
// output token: its inter-token latency) and tgi_request_queue_duration, and
// no KV-cache or time-to-first-token panel (above).
// Health: vLLM's /health answers 200 while inference fails (vllm#24207);
// SGLang's /health_generate runs a generation; TGI's /health runs one when no
// request succeeded lately (router/src/health.rs).
constexpr ServeEngine kEngines[] = {
    {"vllm",
     "vllm/vllm-openai:v0.10.2",
     "/health",
     "/health",
     "/metrics",
     "--served-model-name",
     {"vllm:num_requests_running", "vllm:num_requests_waiting", "vllm:kv_cache_usage_perc",
      "vllm:time_to_first_token_seconds", "vllm:e2e_request_latency_seconds", "vllm:prompt_tokens_total",
      "vllm:generation_tokens_total", "model_name", "vllm:request_success_total", "vllm:inter_token_latency_seconds",
      "vllm:request_queue_time_seconds"},
     true,
     &VllmLeader,
     &VllmWorker},
    // SGLang workers run the same server with their own --node-rank.
    {"sglang",
     "lmsysorg/sglang:v0.5.2-cu126",
     "/health",
     "/health_generate",
     "/metrics",
     "--served-model-name",
     {"sglang:num_running_reqs", "sglang:num_queue_reqs", "sglang:token_usage", "sglang:time_to_first_token_seconds",
      "sglang:e2e_request_latency_seconds", "sglang:prompt_tokens_total", "sglang:generation_tokens_total",
      "model_name", "sglang:num_requests_total", "sglang:inter_token_latency_seconds", ""},
     true,
     &SglangServer,
     &SglangServer},
    {"tgi",
     "ghcr.io/huggingface/text-generation-inference:3.3.5",
     "/health",
     "/health",
     "/metrics",
     "",
     {"tgi_batch_current_size", "tgi_queue_size", "", "", "tgi_request_duration", "tgi_request_input_length_sum",
      "tgi_request_generated_tokens_sum", "", "tgi_request_count", "tgi_request_mean_time_per_token_duration",
      "tgi_request_queue_duration"},
     false,
     &TgiServer,
     nullptr},
};

}  // namespace

std::span<const ServeEngine> ServeEngines() { return kEngines; }

const ServeEngine* FindServeEngine(std::string_view name) {
  for (const ServeEngine& e : kEngines) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

std::string ServeEngineNames(bool (*filter)(const ServeEngine&)) {
  std::string out;
  for (const ServeEngine& e : kEngines) {
    if (filter != nullptr && !filter(e)) continue;
    if (!out.empty()) out += ", ";
    out += e.name;
  }
  return out;
}

Launch LeaderLaunch(const ServeEngine& engine, const LaunchParams& params) {
  Launch launch = engine.leader(params);
  launch.args.insert(launch.args.end(), params.user_args.begin(), params.user_args.end());
  return launch;
}

Launch WorkerLaunch(const ServeEngine& engine, const LaunchParams& params) {
  if (!engine.multi_node()) return LeaderLaunch(engine, params);
  Launch launch = engine.worker(params);
  // Workers that run the server themselves take the user's engine args too.
  if (engine.worker == engine.leader) {
    launch.args.insert(launch.args.end(), params.user_args.begin(), params.user_args.end());
  }
  return launch;
}

}  // namespace llm

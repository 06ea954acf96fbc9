#include "render/serve_engine.h"

#include <array>

namespace llm {
namespace {

constexpr std::array<ServeEngine, 3> kEngines = {{
    {"vllm", "vllm/vllm-openai:v0.10.2", "/health", "vllm:num_requests_waiting", true, true},
    {"sglang", "lmsysorg/sglang:v0.5.2-cu126", "/health", "sglang:num_queue_reqs", true, true},
    {"tgi", "ghcr.io/huggingface/text-generation-inference:3.3.5", "/health", "tgi_queue_size", false, false},
}};

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

void Append(std::vector<std::string>& args, std::initializer_list<std::string> more) {
  args.insert(args.end(), more);
}

std::vector<std::string> VllmArgs(const LaunchParams& p) {
  std::vector<std::string> args = {p.model, "--host", "0.0.0.0", "--port", std::to_string(p.port),
                                   "--tensor-parallel-size", std::to_string(p.tensor_parallel)};
  if (p.pipeline_parallel > 1) Append(args, {"--pipeline-parallel-size", std::to_string(p.pipeline_parallel)});
  if (p.nodes > 1) Append(args, {"--distributed-executor-backend", "ray"});
  if (p.max_model_len) Append(args, {"--max-model-len", std::to_string(*p.max_model_len)});
  if (p.served_model_name) Append(args, {"--served-model-name", *p.served_model_name});
  return args;
}

std::vector<std::string> SglangArgs(const LaunchParams& p) {
  std::vector<std::string> args = {"--model-path", p.model, "--host", "0.0.0.0", "--port", std::to_string(p.port),
                                   "--tp-size", std::to_string(p.tensor_parallel), "--enable-metrics"};
  if (p.pipeline_parallel > 1) Append(args, {"--pp-size", std::to_string(p.pipeline_parallel)});
  if (p.max_model_len) Append(args, {"--context-length", std::to_string(*p.max_model_len)});
  if (p.served_model_name) Append(args, {"--served-model-name", *p.served_model_name});
  if (p.nodes > 1) {
    // $(VAR) is expanded by the kubelet from the env LeaderWorkerSet injects.
    Append(args, {"--nnodes", std::to_string(p.nodes), "--node-rank", "$(LWS_WORKER_INDEX)", "--dist-init-addr",
                  "$(LWS_LEADER_ADDRESS):" + std::to_string(kSglangDistPort)});
  }
  return args;
}

std::vector<std::string> TgiArgs(const LaunchParams& p) {
  std::vector<std::string> args = {"--model-id", p.model, "--hostname", "0.0.0.0", "--port", std::to_string(p.port),
                                   "--num-shard", std::to_string(p.tensor_parallel)};
  if (p.max_model_len) Append(args, {"--max-total-tokens", std::to_string(*p.max_model_len)});
  return args;
}

}  // namespace

const ServeEngine* FindServeEngine(std::string_view name) {
  for (const ServeEngine& e : kEngines) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

std::string KnownServeEngines() {
  std::string out;
  for (const ServeEngine& e : kEngines) {
    if (!out.empty()) out += ", ";
    out += e.name;
  }
  return out;
}

Launch LeaderLaunch(const ServeEngine& engine, const LaunchParams& params) {
  Launch launch;
  if (engine.name == "vllm") {
    launch.args = VllmArgs(params);
    launch.command = params.nodes > 1 ? std::vector<std::string>{"/bin/sh", "-c", kVllmLeaderScript, "vllm-leader"}
                                      : std::vector<std::string>{"vllm", "serve"};
  } else if (engine.name == "sglang") {
    launch.command = {"python3", "-m", "sglang.launch_server"};
    launch.args = SglangArgs(params);
  } else {
    launch.command = {"text-generation-launcher"};
    launch.args = TgiArgs(params);
  }
  launch.args.insert(launch.args.end(), params.user_args.begin(), params.user_args.end());
  return launch;
}

Launch WorkerLaunch(const ServeEngine& engine, const LaunchParams& params) {
  if (engine.name == "vllm") {
    return Launch{{"/bin/sh", "-c", kVllmWorkerScript}, {}};
  }
  // SGLang workers run the same server with their own --node-rank.
  return LeaderLaunch(engine, params);
}

}  // namespace llm

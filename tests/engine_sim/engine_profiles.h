// How each engine answers, as its own code does (sources below): the body of
// /v1/models, its error bodies, its health routes, and its /metrics with the
// engine's real metric names, labels, bucket boundaries and number format.
// These are the simulator's own copies, written from the engines' sources and
// NOT taken from kubectl-llm's engine table, so a wrong name in that table
// fails the integration tests instead of agreeing with itself.
//   vLLM v0.10: vllm/v1/metrics/loggers.py (prometheus_client; labels
//     model_name, engine), vllm/entrypoints/openai/api_server.py
//   SGLang v0.5: python/sglang/srt/metrics/collector.py (labels model_name,
//     tp_rank, pp_rank on scheduler gauges; model_name on tokenizer metrics)
//   TGI v3.3.5: router/src/server.rs (metrics-exporter-prometheus: no
//     labels, no _total suffix, duration buckets 0.0001 x 1.5^k)
#pragma once

#include <string>
#include <vector>

#include "engine_sim/http_server.h"
#include "engine_sim/pod_state.h"

namespace llm::engine_sim {

/// The exposition of `steering` plus `served` (counters include the steered rate x `elapsed_seconds`).
std::string Exposition(const Steering& steering, const Served& served, double elapsed_seconds);

/// GET /v1/models.
std::string ModelsBody(const Steering& steering);

/// vLLM's and SGLang's answer to a request for a model they do not serve (TGI ignores the field).
HttpResponse ModelNotFound(const Steering& steering, const std::string& model);
/// The engine's answer when generation fails (vLLM: the engine core died of a CUDA error).
HttpResponse GenerationFailed(const Steering& steering);
/// The API-key middleware's answer.
HttpResponse Unauthorized(const Steering& steering);
/// GET `path` for a health route; nullopt-like 404 when the engine has no such route.
HttpResponse Health(const Steering& steering, const std::string& path);

}  // namespace llm::engine_sim

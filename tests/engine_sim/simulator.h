// The engine simulator's request handling: which pod (by the address the
// client dialled), what that pod was told (pod_state.h), and the engine's
// answer (engine_profiles.h) to /health, /health_generate, /v1/models,
// /v1/completions and /v1/chat/completions (whole or streamed as SSE) and
// /metrics. A test fixture, like kwok playing the kubelet: it plays the
// model server of every pod of the local cluster's pod network.
#pragma once

#include "engine_sim/http_server.h"
#include "engine_sim/pod_state.h"

namespace llm::engine_sim {

class Simulator {
 public:
  explicit Simulator(std::string control_dir) : pods_(std::move(control_dir)) {}
  HttpResponse Handle(const HttpRequest& request);

 private:
  HttpResponse Generate(const HttpRequest& request, const std::shared_ptr<PodState>& pod, bool chat);
  PodStates pods_;
};

}  // namespace llm::engine_sim

// The served model behind a workload NAME (made by `kubectl llm serve`), as
// `test` and `metrics` reach it through the API server: its engine row, the
// Service serve rendered and its port, the model id /v1/models should list,
// how many serving pods it asks for, and each serving pod (leaders only for a
// LeaderWorkerSet) with its endpoint readiness from the EndpointSlices.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "commands/managed_workloads.h"
#include "kube/rest_client.h"
#include "kube/rest_mapper.h"
#include "render/serve_engine.h"
#include "util/result.h"

namespace llm {

struct ServingPod {
  std::string name;
  std::string ip;             ///< status.podIP ("" before the pod has one)
  std::string phase;          ///< status.phase ("" for an endpoint whose pod is gone)
  bool has_endpoint = false;  ///< listed in one of the Service's EndpointSlices
  bool ready = false;         ///< that endpoint's condition ready (absent counts as ready, as the API says)
  int port = 0;               ///< the serving port (the endpoint's, else the container's "http" port)
  int metrics_port = 0;       ///< prometheus.io/port on the pod, else `port`
  std::string metrics_path;   ///< prometheus.io/path on the pod, else the engine's
};

struct ServedEndpoint {
  std::string name;
  std::string ns;
  ManagedWorkload workload;
  const ServeEngine* engine = nullptr;
  std::string served_model;      ///< the id /v1/models should list
  std::string service;           ///< the Service serve rendered: NAME
  int service_port = 0;          ///< its port named "http" (else its first)
  int64_t desired = 1;           ///< serving pods asked for: replicas (LeaderWorkerSet: groups, one leader each)
  std::vector<ServingPod> pods;  ///< sorted by name
};

/// Reads the workload, its Service, EndpointSlices and serving pods. Errors
/// name what is missing: no such workload, a workload that does not serve a
/// model (a training job), an engine the table lacks, no Service.
Result<ServedEndpoint> ResolveServedEndpoint(kube::RestClient& client, kube::RestMapper& mapper, const std::string& ns,
                                             const std::string& name);

/// What /v1/models lists for a serving container: the value of the engine's
/// served-name flag in its args (`--served-model-name X` or `=X`), else `model`.
std::string ServedModelName(const ServeEngine& engine, const nlohmann::json& container, const std::string& model);

}  // namespace llm

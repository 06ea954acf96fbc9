// One row of `kubectl llm status` / `list`: what a workload is, how far it got,
// what it holds and where to reach it, computed from the controller object and
// the namespace's Services. -o json prints WorkloadStatusList (schema below and
// in cli/workload/README.md), a stable shape for scripts.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "output/table_printer.h"
#include "workload/autoscaler_status.h"
#include "workload/elastic_training.h"

namespace llm {

inline constexpr std::string_view kWorkloadStatusApiVersion = "kubectl-llm.dev/v1alpha1";

struct ServiceEndpoint {
  std::string service;  ///< Service name
  int64_t port = 0;     ///< the port named "http", else the first
  std::string host;     ///< <service>.<namespace>.svc (resolves from any pod, whatever the cluster domain)
};

struct WorkloadStatus {
  std::string name;  ///< app.kubernetes.io/instance, else metadata.name
  std::string namespace_;
  std::string kind;  ///< Deployment, LeaderWorkerSet, JobSet, Job
  std::string api_version;
  std::string engine;     ///< app.kubernetes.io/name: the engine or launcher (vllm, sglang, torchrun)
  std::string component;  ///< app.kubernetes.io/component: serve, train
  std::string model;      ///< annotation kubectl-llm.dev/model ("" when absent)
  std::string state;      ///< Available, Progressing, ScaledToZero, Running, Starting, Suspended, Completed, Failed
  int64_t ready = 0;      ///< units per kind: see `unit`
  int64_t desired = 0;
  std::string unit;                         ///< "pods" (Deployment, Job), "groups" (LeaderWorkerSet), "jobs" (JobSet)
  int64_t gpus = 0;                         ///< nvidia.com/gpu requested by all desired pods
  std::string created;                      ///< metadata.creationTimestamp as the server wrote it
  std::optional<ServiceEndpoint> endpoint;  ///< the workload's non-headless Service, if any
  std::optional<AutoscalerStatus> autoscaler;  ///< the HPA that scales it (see autoscaler_status.h)
  std::optional<ElasticJob> elastic;           ///< train --nodes MIN:MAX (see elastic_status.h)
};

/// `services`: the namespace's Services (List or array); the workload's is the
/// one whose app.kubernetes.io/instance label equals the workload's name and
/// whose clusterIP is not "None" (the headless rendezvous Service of a
/// training job is no endpoint).
WorkloadStatus SummarizeWorkload(const nlohmann::json& object, const nlohmann::json& services);

/// The table of `kubectl llm status`: NAME KIND ENGINE READY STATUS GPUS
/// ENDPOINT AGE (NAMESPACE first when `all_namespaces`); -o wide adds
/// COMPONENT, MODEL and the autoscaler's AUTOSCALE ("MIN-MAX"), TARGETS (as
/// kubectl get hpa) and SCALED (age of its last scale). READY is
/// "ready/desired"; empty values print "<none>". When a row is an elastic
/// training job, NODES and RESTARTS follow STATUS (elastic_status.h).
Table WorkloadStatusTable(const std::vector<WorkloadStatus>& rows, std::chrono::system_clock::time_point now,
                          bool all_namespaces);

/// WorkloadStatusList (kubectl-llm.dev/v1alpha1):
///   {"apiVersion": "kubectl-llm.dev/v1alpha1", "kind": "WorkloadStatusList",
///    "items": [{"name", "namespace", "kind", "apiVersion", "engine", "component",
///               "model", "state", "ready", "desired", "unit", "gpus",
///               "creationTimestamp", "endpoint": {"service", "port", "host", "url"} | null,
///               "autoscaler": {"name", "minReplicas", "maxReplicas", "currentReplicas",
///                              "desiredReplicas", "metrics": [{"name", "current", "target"}],
///                              "lastScaleTime", "problem"} | null,
///               "elastic": {"nodes", "minNodes", "maxNodes", "restarts"} | null}]}
/// Keys in this order; strings "" when unknown, integers always present. No
/// age: it changes every second and scripts have creationTimestamp.
nlohmann::ordered_json WorkloadStatusListJson(const std::vector<WorkloadStatus>& rows);

}  // namespace llm

// ServeConfig: `serve`'s values after every check, with defaults applied. The
// view (serve_view.cpp) only lays it out; all decisions are made here.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "render/backend.h"
#include "render/serve_engine.h"
#include "render/workload.h"
#include "render/workload_common.h"

namespace llm {

// 10 s (the startup probe's periodSeconds) x 180 = 30 minutes for the engine
// to download and load the model before the kubelet gives up: large models take
// that long on a cold cache. It is also the longest a request that wakes a
// model from zero replicas may wait.
constexpr int kStartupFailureThreshold = 180;
constexpr int kStartupProbePeriodSeconds = 10;

// Where --autoscale-metric's ScaledObject asks when neither the user nor the
// cluster (serve's PlaceScaledObjectPrometheus) says: kube-prometheus-stack's
// Prometheus in namespace monitoring, through the Operator's Service.
constexpr std::string_view kDefaultPrometheusUrl = "http://prometheus-operated.monitoring.svc:9090";

struct ServeAutoscale {
  int min = 0;
  int max = 0;
  std::optional<std::string> query;  ///< KEDA's Prometheus query; nullopt: an HPA on CPU
  std::string metric_type;           ///< KEDA's: AverageValue (per replica) or Value
  std::string target;                ///< KEDA threshold
  std::string prometheus_url;
  /// --autoscale-wake-query: what wakes a model from zero replicas, where the
  /// engine's own series (gone with its last pod) cannot; counted as waiting
  /// requests (threshold `wake_target` per replica) while it runs.
  std::optional<std::string> wake_query;
  std::string wake_target;
};

struct ServeConfig {
  WorkloadMeta meta;
  const ServeEngine* engine = nullptr;
  Backend backend = Backend::kDeployment;
  LaunchParams launch;
  bool model_is_path = false;
  std::string image;
  int gpus = 1;
  /// Only when the user gave it (--replicas, --set, -f): otherwise the manifest
  /// has no replica count, so a re-apply keeps what `scale` or an autoscaler
  /// set (the server's default for a new object is 1).
  std::optional<int> replicas;
  std::vector<std::pair<std::string, std::string>> env;
  std::optional<std::string> cpu;
  std::optional<std::string> memory;
  std::string shm_size;
  std::optional<std::pair<std::string, std::string>> hf_token_secret;  ///< name, key
  std::optional<std::string> cache_pvc;
  std::optional<std::string> cache_size;  ///< set: render the PVC
  PodScheduling scheduling;
  std::optional<std::string> queue;
  std::optional<ServeAutoscale> autoscale;
  /// --monitor where the cluster serves PodMonitor (or offline): render one,
  /// with these labels (the standard ones, then those a Prometheus selects by).
  std::optional<std::vector<std::pair<std::string, std::string>>> pod_monitor_labels;
  /// What the render chose in the user's stead (RenderPlan::notes).
  std::vector<std::string> notes;
  /// --dashboard: the sidecar label of its ConfigMap (--dashboard-label); nullopt: no dashboard.
  std::optional<std::pair<std::string, std::string>> dashboard_label;
};

Result<ServeConfig> BuildServeConfig(const WorkloadRequest& request);
RenderPlan ServeView(const ServeConfig& config);

}  // namespace llm

// serve --monitor and --autoscale-metric against a cluster: which Prometheus
// will pick the rendered PodMonitor up, and the labels it needs for that, and
// which Prometheus a ScaledObject's triggers ask (workload/prometheus_selection.h
// judges; this reads the Prometheus objects and the namespace). What cannot be
// read is said in a warning, never an error: the PodMonitor is still applied.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "kube/rest_client.h"
#include "kube/rest_mapper.h"

namespace llm {

struct PodMonitorPlacement {
  /// Labels to add to the PodMonitor (RenderRequest::pod_monitor_labels).
  std::vector<std::pair<std::string, std::string>> labels;
  std::string note;                   ///< which Prometheus picks it up ("" when none)
  std::vector<std::string> warnings;  ///< why none does, or what could not be read
};

/// `own_labels`: the rendered PodMonitor's labels; `name`: its name.
PodMonitorPlacement PlacePodMonitor(kube::RestClient& client, kube::RestMapper& mapper, const std::string& ns,
                                    const std::string& name, const std::map<std::string, std::string>& own_labels);

/// The Prometheus a rendered ScaledObject's triggers should ask, from the
/// Prometheus objects (PickPrometheusAddress): `own_labels` are the
/// workload's labels (those its PodMonitor has), `name` the ScaledObject's.
struct ScaledObjectPrometheus {
  std::string url;     ///< "" when none was found
  std::string id;      ///< "monitoring/kps"
  std::string reason;  ///< why none was found
};
ScaledObjectPrometheus FindScaledObjectPrometheus(kube::RestClient& client, kube::RestMapper& mapper,
                                                  const std::string& ns, const std::string& name,
                                                  const std::map<std::string, std::string>& own_labels);

}  // namespace llm

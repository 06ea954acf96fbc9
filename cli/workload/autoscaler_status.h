// What scales a workload, as `status` shows it: the HorizontalPodAutoscaler
// whose scaleTargetRef is the workload (ours on CPU, or the one KEDA makes for
// a ScaledObject, keda-hpa-NAME), read as `kubectl get hpa` reads it: bounds,
// current and desired replicas, each metric's current value against its
// target, when it last scaled, and why it cannot scale when it says so.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace llm {

struct AutoscalerMetric {
  std::string name;     ///< "cpu", or an external metric's name ("s0-prometheus" for KEDA's first trigger)
  std::string current;  ///< "12%", "3", "<unknown>" before the controller read it
  std::string target;   ///< "70%", "5" (per pod for AverageValue), as the HPA states it
};

struct AutoscalerStatus {
  std::string name;  ///< the HPA's
  int64_t min_replicas = 1;
  int64_t max_replicas = 0;
  int64_t current_replicas = 0;
  int64_t desired_replicas = 0;
  std::vector<AutoscalerMetric> metrics;
  std::string last_scale_time;  ///< status.lastScaleTime; "" when it never scaled
  /// Set when a condition says it cannot scale (AbleToScale or ScalingActive
  /// False): "FailedGetExternalMetric: unable to get external metric ...".
  std::string problem;

  /// kubectl get hpa's TARGETS column: "cpu: 12%/70%, s0-prometheus: 3/5".
  std::string TargetsText() const;
};

/// The autoscaler of the workload `kind`/`name` in `ns` among `hpas` (a List
/// or an array of autoscaling/v2 HorizontalPodAutoscalers, of any namespaces);
/// nullopt when none targets it.
std::optional<AutoscalerStatus> FindAutoscaler(const nlohmann::json& hpas, const std::string& ns,
                                               const std::string& kind, const std::string& name);

/// `hpas` (a List or an array) with the bounds of the ScaledObjects (a List or an array)
/// that KEDA made them for: an HPA's minReplicas is at least 1, so KEDA's copy
/// of a ScaledObject's minReplicaCount 0 says 1; the user's 0 is what status
/// shows. An HPA of a ScaledObject not among them is kept as it is.
nlohmann::json WithScaledObjectBounds(nlohmann::json hpas, const nlohmann::json& scaled_objects);

/// True when KEDA made one of `hpas` (label scaledobject.keda.sh/name).
bool AnyMadeByKeda(const nlohmann::json& hpas);

/// The `autoscaler` object of status -o json (null when none).
nlohmann::ordered_json AutoscalerJson(const std::optional<AutoscalerStatus>& autoscaler);

}  // namespace llm

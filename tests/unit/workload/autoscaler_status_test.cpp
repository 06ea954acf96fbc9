#include "workload/autoscaler_status.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

// autoscaling/v2 objects as kube-apiserver v1.35 returns them: the one KEDA
// makes for ScaledObject "chat", and a CPU one the controller cannot feed.
const nlohmann::json kHpas = nlohmann::json::parse(R"({"kind": "HorizontalPodAutoscalerList", "items": [
  {"metadata": {"name": "keda-hpa-chat", "namespace": "ml"},
   "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "chat"},
            "minReplicas": 1, "maxReplicas": 4,
            "metrics": [{"type": "External", "external": {
              "metric": {"name": "s0-prometheus", "selector": {"matchLabels": {"scaledobject.keda.sh/name": "chat"}}},
              "target": {"type": "AverageValue", "averageValue": "5"}}}]},
   "status": {"currentReplicas": 2, "desiredReplicas": 3, "lastScaleTime": "2026-11-28T11:55:00Z",
              "currentMetrics": [{"type": "External", "external": {
                "metric": {"name": "s0-prometheus"}, "current": {"averageValue": "7500m"}}}],
              "conditions": [{"type": "AbleToScale", "status": "True", "reason": "SucceededRescale"},
                             {"type": "ScalingActive", "status": "True", "reason": "ValidMetricFound"}]}},
  {"metadata": {"name": "chat", "namespace": "dev"},
   "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "chat"},
            "minReplicas": 2, "maxReplicas": 5,
            "metrics": [{"type": "Resource", "resource": {"name": "cpu",
                         "target": {"type": "Utilization", "averageUtilization": 70}}}]},
   "status": {"currentReplicas": 2, "desiredReplicas": 0,
              "conditions": [{"type": "AbleToScale", "status": "True", "reason": "SucceededGetScale"},
                             {"type": "ScalingActive", "status": "False", "reason": "FailedGetResourceMetric",
                              "message": "the HPA was unable to compute the replica count: failed to get cpu utilization"}]}}
]})");

TEST_CASE("autoscaler: KEDA's HPA for a Deployment, its external metric against the per-pod target") {
  const auto a = FindAutoscaler(kHpas, "ml", "Deployment", "chat");
  REQUIRE(a.has_value());
  CHECK(a->name == "keda-hpa-chat");
  CHECK(a->min_replicas == 1);
  CHECK(a->max_replicas == 4);
  CHECK(a->current_replicas == 2);
  CHECK(a->desired_replicas == 3);
  CHECK(a->last_scale_time == "2026-11-28T11:55:00Z");
  CHECK(a->problem.empty());
  CHECK(a->TargetsText() == "s0-prometheus: 7500m/5");
}

TEST_CASE("autoscaler: a CPU HPA with no metrics yet reads as kubectl's <unknown>, and says why it cannot scale") {
  const auto a = FindAutoscaler(kHpas, "dev", "Deployment", "chat");
  REQUIRE(a.has_value());
  CHECK(a->TargetsText() == "cpu: <unknown>/70%");
  CHECK(a->last_scale_time.empty());
  CHECK(a->problem ==
        "FailedGetResourceMetric: the HPA was unable to compute the replica count: failed to get cpu utilization");
}

TEST_CASE("autoscaler: only the HPA whose target is the workload, in its namespace") {
  CHECK_FALSE(FindAutoscaler(kHpas, "ml", "LeaderWorkerSet", "chat").has_value());
  CHECK_FALSE(FindAutoscaler(kHpas, "other", "Deployment", "chat").has_value());
  CHECK_FALSE(FindAutoscaler(nlohmann::json::array(), "ml", "Deployment", "chat").has_value());
  CHECK(AutoscalerJson(std::nullopt).is_null());
  CHECK(AutoscalerJson(FindAutoscaler(kHpas, "ml", "Deployment", "chat")).dump() ==
        R"({"name":"keda-hpa-chat","minReplicas":1,"maxReplicas":4,"currentReplicas":2,"desiredReplicas":3,)"
        R"("metrics":[{"name":"s0-prometheus","current":"7500m","target":"5"}],)"
        R"("lastScaleTime":"2026-11-28T11:55:00Z","problem":""})");
}

TEST_CASE("autoscaler: KEDA's HPA shows its ScaledObject's minimum, and zero replicas is no problem there") {
  // As KEDA v2.21 makes it for a ScaledObject with minReplicaCount 0, at zero.
  const nlohmann::json asleep = nlohmann::json::parse(R"([
    {"metadata": {"name": "keda-hpa-chat", "namespace": "ml", "labels": {"scaledobject.keda.sh/name": "chat"}},
     "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "chat"},
              "minReplicas": 1, "maxReplicas": 4},
     "status": {"currentReplicas": 0, "desiredReplicas": 0,
                "conditions": [{"type": "AbleToScale", "status": "True", "reason": "SucceededGetScale"},
                               {"type": "ScalingActive", "status": "False", "reason": "ScalingDisabled",
                                "message": "scaling is disabled since the replica count of the target is zero"}]}},
    {"metadata": {"name": "chat", "namespace": "dev"},
     "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "chat"},
              "minReplicas": 2, "maxReplicas": 5}}])");
  const nlohmann::json scaled_objects = nlohmann::json::parse(R"({"items": [
    {"metadata": {"name": "chat", "namespace": "other"}, "spec": {"minReplicaCount": 3}},
    {"metadata": {"name": "chat", "namespace": "ml"}, "spec": {"maxReplicaCount": 4}}]})");
  CHECK(AnyMadeByKeda(asleep));
  CHECK_FALSE(AnyMadeByKeda(kHpas));

  // Without its ScaledObject: the HPA's own 1, and the HPA's word that it does not scale.
  const auto alone = FindAutoscaler(asleep, "ml", "Deployment", "chat");
  REQUIRE(alone.has_value());
  CHECK(alone->min_replicas == 1);
  CHECK(alone->problem == "ScalingDisabled: scaling is disabled since the replica count of the target is zero");

  const nlohmann::json bounded = WithScaledObjectBounds(asleep, scaled_objects);
  const auto keda = FindAutoscaler(bounded, "ml", "Deployment", "chat");
  REQUIRE(keda.has_value());
  CHECK(keda->min_replicas == 0);  // KEDA's default minReplicaCount, from the ScaledObject of its namespace
  CHECK(keda->max_replicas == 4);
  CHECK(keda->problem.empty());
  // An HPA of the user's own is left as it was.
  CHECK(FindAutoscaler(bounded, "dev", "Deployment", "chat")->min_replicas == 2);
  // A List works as an array does.
  CHECK(FindAutoscaler(WithScaledObjectBounds({{"items", asleep}}, scaled_objects), "ml", "Deployment", "chat")
            ->min_replicas == 0);
}

}  // namespace
}  // namespace llm

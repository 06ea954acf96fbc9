// The status the cluster-autoscaler publishes in the ConfigMap
// kube-system/cluster-autoscaler-status (data.status; GKE's and AKS's managed
// autoscalers publish the same). Two formats exist
// (k8s.io/autoscaler cluster-autoscaler/clusterstate):
//  - structured YAML since 1.30 (clusterstate/api/types.go ClusterAutoscalerStatus):
//      time, autoscalerStatus (Running | Initializing), clusterWide, nodeGroups:
//      [{name, health: {status, cloudProviderTarget, minSize, maxSize}, scaleUp: {status, backoffInfo}}]
//  - before that, text ("Cluster-autoscaler status at ...:") whose NodeGroups
//    section has per group "Name: X", "Health: Healthy (... cloudProviderTarget=N
//    (minSize=A, maxSize=B))" and "ScaleUp: NoActivity (...)".
// Its time is not a liveness signal: a quiet autoscaler may leave it hours old.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace llm {

struct AutoscalerNodeGroup {
  std::string name;  ///< as published: an AWS ASG, an Azure VMSS, a GCE MIG URL, ...
  int64_t min_size = 0;
  int64_t max_size = 0;
  int64_t target = 0;    ///< cloudProviderTarget: the size the cloud is asked for now
  std::string scale_up;  ///< NoActivity, InProgress, Backoff, ... ("" when not stated)
};

struct ClusterAutoscalerStatus {
  std::string state;  ///< autoscalerStatus (Running, Initializing); "" in the text format
  std::vector<AutoscalerNodeGroup> node_groups;
};

/// The status in a ConfigMap as the API server returns it; nullopt when it has
/// no data.status in either format.
std::optional<ClusterAutoscalerStatus> ParseClusterAutoscalerStatus(const nlohmann::json& config_map);

}  // namespace llm

// Whether a node autoscaler could add the room a GPU request lacks today, and
// who: the preflight turns "does not fit the current nodes" from a refusal into
// a warning only where one could.
//  - Karpenter: a NodePool that holds the pods (karpenter_node_pools.h) within
//    limits that leave room for every pod that does not fit.
//  - The cluster-autoscaler (its status ConfigMap, cluster_autoscaler_status.h):
//    a node group below its maximum that either holds nodes matching the
//    request (which it would clone) or holds no node we can tie to it (scale
//    from zero: only the cloud knows what it offers, hence "may"). Nodes are
//    tied to node groups through the labels of the managed offerings:
//      EKS   eks.amazonaws.com/nodegroup=NG      group (ASG) "eks-NG-<uuid>"
//      AKS   kubernetes.azure.com/agentpool=P    group (VMSS) "aks-P-<n>-vmss"
//      GKE   cloud.google.com/gke-nodepool=P     group (MIG URL) ".../instanceGroups/<base>-grp",
//            whose nodes are named "<base>-<suffix>" (the pool name in <base> may be truncated)
//    A group whose tied nodes all fail the request's filters would add more of
//    the same, so it does not count.
// GKE node auto-provisioning (new node pools, "nap-..." pools) is not counted:
// what it may create depends on limits only the cloud API shows.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "workload/cluster_autoscaler_status.h"
#include "workload/gpu_capacity.h"

namespace llm {

/// What the caller could read of the cluster's node autoscalers.
struct NodeAutoscalers {
  /// karpenter.sh NodePools (a NodePoolList or array), when the kind is served and was read.
  std::optional<nlohmann::json> karpenter_node_pools;
  /// kube-system/cluster-autoscaler-status, when it exists and was read.
  std::optional<ClusterAutoscalerStatus> cluster_autoscaler;
};

struct ScaleUpOutlook {
  /// Some autoscaler may add room for every pod that does not fit.
  bool may_add = false;
  /// may_add: who may add what, e.g. `Karpenter NodePool "gpu" may add nodes for
  /// 1 more pod of 8 NVIDIA-H100-80GB-HBM3 GPUs`. Otherwise why the autoscalers
  /// found fall short (limits, node groups at their maximum), or "" when none
  /// could hold these pods at all.
  std::string sentence;
};

/// `fit` is CheckGpuFit's kNeverFits answer for `request` over `nodes`.
ScaleUpOutlook JudgeScaleUp(const NodeAutoscalers& autoscalers, const GpuFit& fit, const GpuFitRequest& request,
                            const nlohmann::json& nodes);

}  // namespace llm

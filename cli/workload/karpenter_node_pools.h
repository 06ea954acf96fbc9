// Which Karpenter NodePools (karpenter.sh/v1) could launch nodes for a
// workload's GPU pods that today's nodes cannot hold, judged from the NodePool
// objects alone, the way Karpenter's provisioner filters them
// (sigs.k8s.io/karpenter pkg/controllers/provisioning/scheduling and
// pkg/scheduling/requirements.go at v1.14):
//  - a static NodePool (spec.replicas set) keeps a fixed node count and does
//    not launch nodes for pending pods; one whose Ready condition is not True
//    launches nothing;
//  - every NoSchedule/NoExecute taint of spec.template.spec.taints must be
//    tolerated (startupTaints need not be: Karpenter expects them removed);
//  - every node label the pods require must be admitted by the NodePool's
//    requirements or template labels (karpenter.sh/nodepool is its own name);
//    a label it does not define at all is refused ("label ... does not have
//    known values") unless it is a well-known label the cloud provider sets;
//  - it must offer GPUs (a GPU requirement, nvidia.com/gpu.product label or
//    nvidia.com/gpu limit), with at least the GPUs per pod when it bounds the
//    instances' GPU count (karpenter.k8s.aws/instance-gpu-count,
//    karpenter.azure.com/sku-gpu-count);
//  - spec.limits on nvidia.com/gpu and nodes, against status.resources and
//    status.nodes, bound how many more pods it can make room for. CPU and
//    memory limits are not judged: what a new node adds to them depends on the
//    instance type Karpenter picks, which only the cloud provider knows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "workload/gpu_capacity.h"

namespace llm {

struct NodePoolFit {
  std::string name;
  bool holds = false;   ///< its requirements, labels, taints and GPU count admit the pods
  std::string why_not;  ///< when !holds: the first reason, a phrase ("its taint k=v:NoSchedule is not tolerated")
  /// Pods of the request's size its limits leave room for; nullopt when unlimited.
  std::optional<int64_t> pods_within_limits;
  /// The limit that bounds it, e.g. "limits.nvidia.com/gpu 16 with 8 in use"; "" when unlimited.
  std::string limit;
};

/// One entry per NodePool of `node_pools` (a NodePoolList or an array), in order.
std::vector<NodePoolFit> JudgeNodePools(const nlohmann::json& node_pools, const GpuFitRequest& request);

}  // namespace llm

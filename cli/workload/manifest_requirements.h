// What a set of rendered manifests needs from the cluster before it is
// applied: the GPUs its pods request (for CheckGpuFit) and the objects it
// refers to but does not create (Secrets, PVCs, a PriorityClass, a Kueue
// LocalQueue). Pure functions over the manifests, for serve/train's preflight.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "workload/gpu_capacity.h"

namespace llm {

/// One pod template of a workload object and how many pods it makes.
struct PodTemplateUse {
  nlohmann::json pod_spec;  ///< the template's PodSpec
  int64_t pods = 0;
};

/// Pod templates of Deployment/StatefulSet (replicas), Job (parallelism),
/// LeaderWorkerSet (replicas x (leader + size-1 workers)), JobSet
/// (replicatedJobs replicas x parallelism) and Pod; nothing for other kinds.
std::vector<PodTemplateUse> PodTemplatesOf(const nlohmann::json& object);

/// The GPU request to check: the largest per-pod GPU request among the
/// templates, with all pods of that size counted, and that template's
/// nodeSelector, tolerations and `key In [value]` required node affinity.
/// nullopt when no pod requests a GPU.
std::optional<GpuFitRequest> GpuRequestOf(const std::vector<nlohmann::json>& objects);

/// Objects the manifests use without creating them.
struct ObjectReferences {
  std::set<std::string> secrets;           ///< env/envFrom/volumes/imagePullSecrets
  std::set<std::string> pvcs;              ///< volumes[].persistentVolumeClaim.claimName
  std::set<std::string> priority_classes;  ///< spec.priorityClassName
  std::set<std::string> local_queues;      ///< label kueue.x-k8s.io/queue-name
};

/// References minus the objects of the same kind and name in `objects` itself.
ObjectReferences ReferencesOf(const std::vector<nlohmann::json>& objects);

}  // namespace llm

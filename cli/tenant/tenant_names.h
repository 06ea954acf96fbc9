// The names a tenant's objects carry, in one place: what `tenant create`
// writes, what `serve`/`train` read back from a tenant's namespace, and what
// `tenant list|status|verify|delete` look for.
#pragma once

#include <string>
#include <string_view>

#include "render/plugin_rbac.h"

namespace llm::tenant {

/// Where the ApplySet parents of `tenant init` and of every tenant live (a
/// namespace of their own, out of the tenants' reach: members may write
/// Secrets in their own namespace).
inline constexpr std::string_view kSystemNamespace = "kubectl-llm-system";
/// The parent of `tenant init`'s set.
inline constexpr std::string_view kInitSetName = "tenancy";
/// A tenant's set is "tenant-TEAM".
std::string TenantSetName(std::string_view team);

/// On the tenant's namespace (and every object of the tenant): the team.
inline constexpr std::string_view kTenantLabel = "kubectl-llm.dev/tenant";
/// On the tenant's namespace: the LocalQueue `serve`/`train` use by default.
inline constexpr std::string_view kLocalQueueAnnotation = "kubectl-llm.dev/local-queue";
/// On the tenant's namespace: the PriorityClass `serve`/`train` use by default.
inline constexpr std::string_view kPriorityClassAnnotation = "kubectl-llm.dev/priority-class";
/// On a GPU ResourceFlavor of `tenant init`: the product it stands for.
inline constexpr std::string_view kGpuProductAnnotation = "kubectl-llm.dev/gpu-product";

/// The namespaced objects of a tenant (ResourceQuota, LimitRange, RoleBinding) are named so.
inline constexpr std::string_view kTenantObjectName = "kubectl-llm-tenant";
/// The Role every member is bound to: the plugin's own (render/plugin_rbac.h).
inline constexpr std::string_view kUserRoleName = kPluginRoleName;
/// The Kueue cohort every tenant's ClusterQueue joins.
inline constexpr std::string_view kCohortName = "kubectl-llm";
/// The ResourceFlavor for CPU and memory (no node labels).
inline constexpr std::string_view kDefaultFlavorName = "kubectl-llm-default";

/// `--priority` values and the PriorityClasses `tenant init` makes for them.
struct PriorityLevel {
  std::string_view name;            ///< serving, training, experiment
  std::string_view priority_class;  ///< kubectl-llm-serving ...
  int value;
  bool preempts;  ///< preemptionPolicy PreemptLowerPriority, else Never
  std::string_view description;
};
inline constexpr PriorityLevel kPriorityLevels[] = {
    {"serving", "kubectl-llm-serving", 100000, true,
     "kubectl-llm: production serving; preempts training and experiments"},
    {"training", "kubectl-llm-training", 10000, true, "kubectl-llm: training; preempts experiments"},
    {"experiment", "kubectl-llm-experiment", 1000, false, "kubectl-llm: experiments; never preempt anything"},
};
const PriorityLevel* FindPriorityLevel(std::string_view name);

/// The ResourceFlavor name for a GPU product ("NVIDIA-H100-80GB-HBM3" ->
/// "gpu-nvidia-h100-80gb-hbm3"): lower case, other characters as '-', at most 63.
std::string GpuFlavorName(std::string_view product);

}  // namespace llm::tenant

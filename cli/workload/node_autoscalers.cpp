#include "workload/node_autoscalers.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "kube/object_fields.h"
#include "kube/well_known_names.h"
#include "workload/karpenter_node_pools.h"
#include "workload/pod_resources.h"

namespace llm {
namespace {

std::string Plural(int64_t n, std::string_view singular, std::string_view plural) {
  return fmt::format("{} {}", n, n == 1 ? singular : plural);
}

std::string Quoted(const std::vector<std::string>& names) {
  std::vector<std::string> quoted;
  for (const std::string& name : names) quoted.push_back(fmt::format("\"{}\"", name));
  return fmt::format("{}", fmt::join(quoted, ", "));
}

// "nodes for 2 more pods of 8 NVIDIA-H100-80GB-HBM3 GPUs"
std::string WhatIsMissing(const GpuFit& fit, const GpuFitRequest& request) {
  const std::string product = WantedGpuProduct(request);
  return fmt::format("nodes for {} more {} of {} {}{}", fit.pods_short, fit.pods_short == 1 ? "pod" : "pods",
                     request.gpus_per_pod, product.empty() ? "" : product + " ",
                     request.gpus_per_pod == 1 ? "GPU" : "GPUs");
}

ScaleUpOutlook JudgeKarpenter(const nlohmann::json& node_pools, const GpuFit& fit, const GpuFitRequest& request) {
  std::vector<std::string> holding;
  std::vector<std::string> limits;
  int64_t room = 0;
  bool unlimited = false;
  for (const NodePoolFit& pool : JudgeNodePools(node_pools, request)) {
    if (!pool.holds) continue;
    holding.push_back(pool.name);
    if (!pool.pods_within_limits) {
      unlimited = true;
    } else {
      room += *pool.pods_within_limits;
      limits.push_back(pool.limit);
    }
  }
  if (holding.empty()) return {};
  const std::string who = fmt::format("Karpenter NodePool{} {}", holding.size() == 1 ? "" : "s", Quoted(holding));
  if (unlimited || room >= fit.pods_short) {
    return {true, fmt::format("{} may add {}", who, WhatIsMissing(fit, request))};
  }
  return {false, fmt::format("{} {} room for only {} of the {} within {} limits ({})", who,
                             holding.size() == 1 ? "has" : "have", room, Plural(fit.pods_short, "pod", "pods"),
                             holding.size() == 1 ? "its" : "their", fmt::join(limits, "; "))};
}

// ---- cluster-autoscaler ------------------------------------------------------

std::string Basename(const std::string& name) {
  const size_t slash = name.rfind('/');
  return slash == std::string::npos ? name : name.substr(slash + 1);
}

// The managed offering's name for the node's group ("EKS node group \"gpu\""),
// and whether `group` (a published node group name) is that group.
struct ManagedPool {
  std::string label;  ///< e.g. EKS node group "gpu"
  bool owns = false;
};

ManagedPool TieToGroup(const nlohmann::json& node, const std::string& group) {
  const std::string base = Basename(group);
  if (std::string ng = LabelOf(node, "eks.amazonaws.com/nodegroup"); !ng.empty()) {
    return {fmt::format("EKS node group \"{}\"", ng), base.starts_with("eks-" + ng + "-")};
  }
  if (std::string pool = LabelOf(node, "kubernetes.azure.com/agentpool"); !pool.empty()) {
    return {fmt::format("AKS node pool \"{}\"", pool), base.starts_with("aks-" + pool + "-")};
  }
  if (std::string pool = LabelOf(node, "cloud.google.com/gke-nodepool"); !pool.empty()) {
    const std::string name = StringAt(node, {"metadata", "name"});
    const bool owns = base.ends_with("-grp") && name.starts_with(base.substr(0, base.size() - 3));
    return {fmt::format("GKE node pool \"{}\"", pool), owns};
  }
  return {};
}

struct GroupView {
  const AutoscalerNodeGroup* group = nullptr;
  std::string managed;        ///< the managed offering's name, when a node ties to it
  bool tied = false;          ///< some node of the cluster ties to it
  int64_t pods_per_node = 0;  ///< of its tied matching nodes, the most pods of the request's size one holds
  int64_t headroom() const { return std::max<int64_t>(0, group->max_size - group->target); }
  std::string Describe() const {
    return fmt::format("\"{}\" ({}{} of at most {})", Basename(group->name), managed.empty() ? "" : managed + ", ",
                       Plural(group->target, "node", "nodes"), group->max_size);
  }
};

std::string Listed(const std::vector<const GroupView*>& groups) {
  std::vector<std::string> parts;
  for (size_t i = 0; i < groups.size() && i < 3; ++i) parts.push_back(groups[i]->Describe());
  if (groups.size() > 3) parts.push_back(fmt::format("and {} more", groups.size() - 3));
  return fmt::format("{}", fmt::join(parts, ", "));
}

ScaleUpOutlook JudgeClusterAutoscaler(const ClusterAutoscalerStatus& status, const GpuFit& fit,
                                      const GpuFitRequest& request, const nlohmann::json& nodes) {
  const std::set<std::string> matching(fit.matching_node_names.begin(), fit.matching_node_names.end());
  std::vector<GroupView> views;
  for (const AutoscalerNodeGroup& group : status.node_groups) {
    GroupView view;
    view.group = &group;
    for (const nlohmann::json& node : ItemsOf(nodes)) {
      ManagedPool pool = TieToGroup(node, group.name);
      if (!pool.owns) continue;
      view.tied = true;
      view.managed = pool.label;
      if (matching.count(StringAt(node, {"metadata", "name"})) == 0) continue;
      const nlohmann::json* allocatable = FindPath(node, {"status", "allocatable", kGpuResource});
      const int64_t gpus = allocatable == nullptr ? 0 : ParseCountQuantity(*allocatable).value_or(0);
      view.pods_per_node = std::max(view.pods_per_node, gpus / request.gpus_per_pod);
    }
    views.push_back(std::move(view));
  }
  // Groups known to clone matching nodes, and groups we cannot see into.
  std::vector<const GroupView*> cloning, unknown, full;
  int64_t room = 0;
  for (const GroupView& view : views) {
    if (view.tied && view.pods_per_node > 0) {
      (view.headroom() > 0 ? cloning : full).push_back(&view);
      room += view.headroom() * view.pods_per_node;
    } else if (!view.tied && view.headroom() > 0) {
      unknown.push_back(&view);
    }
  }
  const std::string what = WhatIsMissing(fit, request);
  if (!cloning.empty() && room >= fit.pods_short) {
    return {true, fmt::format("the cluster-autoscaler may add {} to node group{} {}", what,
                              cloning.size() == 1 ? "" : "s", Listed(cloning))};
  }
  if (!unknown.empty()) {
    std::vector<const GroupView*> candidates = cloning;
    candidates.insert(candidates.end(), unknown.begin(), unknown.end());
    return {true, fmt::format("the cluster-autoscaler may add {} if one of its node groups below their maximum "
                              "offers them: {}",
                              what, Listed(candidates))};
  }
  if (!cloning.empty()) {
    return {false,
            fmt::format("the cluster-autoscaler's node group{} {} can add room for only {} of the {}",
                        cloning.size() == 1 ? "" : "s", Listed(cloning), room, Plural(fit.pods_short, "pod", "pods"))};
  }
  if (!full.empty()) {
    return {false, fmt::format("the cluster-autoscaler's node group{} holding such nodes {} at {} maximum: {}",
                               full.size() == 1 ? "" : "s", full.size() == 1 ? "is" : "are",
                               full.size() == 1 ? "its" : "their", Listed(full))};
  }
  return {};
}

}  // namespace

ScaleUpOutlook JudgeScaleUp(const NodeAutoscalers& autoscalers, const GpuFit& fit, const GpuFitRequest& request,
                            const nlohmann::json& nodes) {
  if (fit.verdict != GpuFitVerdict::kNeverFits || fit.pods_short <= 0 || request.gpus_per_pod <= 0) return {};
  ScaleUpOutlook karpenter, cluster_autoscaler;
  if (autoscalers.karpenter_node_pools) karpenter = JudgeKarpenter(*autoscalers.karpenter_node_pools, fit, request);
  if (karpenter.may_add) return karpenter;
  if (autoscalers.cluster_autoscaler) {
    cluster_autoscaler = JudgeClusterAutoscaler(*autoscalers.cluster_autoscaler, fit, request, nodes);
  }
  if (cluster_autoscaler.may_add) return cluster_autoscaler;
  // Neither may add it all: say what stands in the way of those that came closest.
  std::vector<std::string> notes;
  for (const ScaleUpOutlook* outlook : {&karpenter, &cluster_autoscaler}) {
    if (!outlook->sentence.empty()) notes.push_back(outlook->sentence);
  }
  return {false, fmt::format("{}", fmt::join(notes, "; "))};
}

}  // namespace llm

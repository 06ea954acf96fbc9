#include "workload/karpenter_node_pools.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <map>
#include <string_view>

#include <fmt/format.h>

#include "kube/object_fields.h"
#include "kube/well_known_names.h"
#include "workload/node_scheduling.h"
#include "workload/pod_resources.h"

namespace llm {
namespace {

constexpr std::string_view kNodePoolLabel = "karpenter.sh/nodepool";

// Labels Karpenter lets a pod require without the NodePool defining them: its
// own WellKnownLabels (pkg/apis/v1/labels.go) and those its cloud providers
// register (karpenter-provider-aws pkg/apis/v1/labels.go: karpenter.k8s.aws/*,
// topology.k8s.aws/zone-id; karpenter-provider-azure: karpenter.azure.com/*).
bool IsWellKnownLabel(std::string_view key) {
  static constexpr std::array<std::string_view, 8> kCore = {kNodePoolLabel,
                                                            "topology.kubernetes.io/zone",
                                                            "topology.kubernetes.io/region",
                                                            "node.kubernetes.io/instance-type",
                                                            "kubernetes.io/arch",
                                                            "kubernetes.io/os",
                                                            "karpenter.sh/capacity-type",
                                                            "node.kubernetes.io/windows-build"};
  if (std::find(kCore.begin(), kCore.end(), key) != kCore.end()) return true;
  return key.starts_with("karpenter.k8s.aws/") || key.starts_with("karpenter.azure.com/") ||
         key == "topology.k8s.aws/zone-id";
}

// Requirement keys that bound the GPUs of the instances a NodePool may launch.
constexpr std::array<std::string_view, 2> kGpuCountKeys = {"karpenter.k8s.aws/instance-gpu-count",
                                                           "karpenter.azure.com/sku-gpu-count"};
// Requirement keys that only a GPU instance satisfies when constrained.
constexpr std::array<std::string_view, 5> kGpuKindKeys = {
    "karpenter.k8s.aws/instance-gpu-name", "karpenter.k8s.aws/instance-gpu-manufacturer",
    "karpenter.azure.com/sku-gpu-name", "karpenter.azure.com/sku-gpu-manufacturer", "nvidia.com/gpu.present"};

struct Requirement {
  std::string op;
  std::vector<std::string> values;
};
using Requirements = std::multimap<std::string, Requirement>;

// A plain out-parameter rather than std::optional: GCC 12's -Wmaybe-uninitialized
// misfires on optionals of integers in the loops below.
bool ParseInt(std::string_view text, int64_t& value) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size();
}

// The NodePool's requirements as Karpenter layers them: spec.template.spec.requirements,
// each template label as `In [value]`, and its own name under karpenter.sh/nodepool.
Requirements RequirementsOf(const nlohmann::json& pool) {
  Requirements out;
  if (const nlohmann::json* list = FindPath(pool, {"spec", "template", "spec", "requirements"});
      list != nullptr && list->is_array()) {
    for (const nlohmann::json& item : *list) {
      Requirement r{StringAt(item, {"operator"}), {}};
      if (const nlohmann::json* values = FindPath(item, {"values"}); values != nullptr && values->is_array()) {
        for (const nlohmann::json& v : *values) {
          if (v.is_string()) r.values.push_back(v.get<std::string>());
        }
      }
      out.emplace(StringAt(item, {"key"}), std::move(r));
    }
  }
  if (const nlohmann::json* labels = FindPath(pool, {"spec", "template", "metadata", "labels"});
      labels != nullptr && labels->is_object()) {
    for (const auto& [key, value] : labels->items()) {
      if (value.is_string()) out.emplace(key, Requirement{"In", {value.get<std::string>()}});
    }
  }
  out.emplace(std::string(kNodePoolLabel), Requirement{"In", {StringAt(pool, {"metadata", "name"})}});
  return out;
}

// Whether one requirement admits a node label value (Karpenter's Requirement.Has).
bool Admits(const Requirement& r, const std::string& value) {
  const bool listed = std::find(r.values.begin(), r.values.end(), value) != r.values.end();
  if (r.op == "In") return listed;
  if (r.op == "NotIn") return !listed;
  if (r.op == "Exists") return true;
  if (r.op == "DoesNotExist") return false;
  int64_t have = 0, bound = 0;
  if (r.values.empty() || !ParseInt(value, have) || !ParseInt(r.values[0], bound)) return false;
  if (r.op == "Gt") return have > bound;
  if (r.op == "Gte") return have >= bound;
  if (r.op == "Lt") return have < bound;
  if (r.op == "Lte") return have <= bound;
  return false;
}

// nullopt when every requirement on `key` admits `value`, else why not.
std::optional<std::string> LabelRefused(const Requirements& reqs, const std::string& key, const std::string& value) {
  auto [begin, end] = reqs.equal_range(key);
  if (begin == end) {
    if (IsWellKnownLabel(key)) return std::nullopt;  // the cloud provider decides; nothing to judge here
    return fmt::format("it does not define the node label {} that the pods require", key);
  }
  for (auto it = begin; it != end; ++it) {
    if (!Admits(it->second, value)) {
      return key == kGpuProductLabel ? fmt::format("it does not offer {}={}", key, value)
                                     : fmt::format("its requirements do not admit {}={}", key, value);
    }
  }
  return std::nullopt;
}

// Whether the requirements on a GPU-count key admit some count >= `gpus`
// (an instance with at least the GPUs of one pod).
bool AdmitsGpuCount(const Requirements& reqs, std::string_view key, int64_t gpus) {
  auto [begin, end] = reqs.equal_range(std::string(key));
  std::vector<int64_t> listed;
  bool has_in = false;
  int64_t low = gpus, high = std::numeric_limits<int64_t>::max();
  for (auto it = begin; it != end; ++it) {
    const Requirement& r = it->second;
    int64_t n = 0;
    const bool bounded = !r.values.empty() && ParseInt(r.values[0], n);
    if (r.op == "DoesNotExist") return false;
    if (r.op == "In") {
      std::vector<int64_t> values;
      for (const std::string& v : r.values) {
        if (int64_t value = 0; ParseInt(v, value)) values.push_back(value);
      }
      if (has_in) {
        std::erase_if(listed, [&](int64_t v) { return std::find(values.begin(), values.end(), v) == values.end(); });
      } else {
        listed = std::move(values);
      }
      has_in = true;
    } else if (bounded && r.op == "Gt") {
      low = std::max(low, n + 1);
    } else if (bounded && r.op == "Gte") {
      low = std::max(low, n);
    } else if (bounded && r.op == "Lt") {
      high = std::min(high, n - 1);
    } else if (bounded && r.op == "Lte") {
      high = std::min(high, n);
    }
  }
  if (!has_in) return low <= high;
  return std::any_of(listed.begin(), listed.end(), [&](int64_t count) {
    if (count < low || count > high) return false;
    for (auto it = begin; it != end; ++it) {
      if (!Admits(it->second, std::to_string(count))) return false;
    }
    return true;
  });
}

std::optional<int64_t> QuantityAt(const nlohmann::json& object, std::initializer_list<std::string_view> path) {
  const nlohmann::json* value = FindPath(object, path);
  return value == nullptr ? std::nullopt : ParseCountQuantity(*value);
}

// Whether the NodePool says anything that only a GPU instance satisfies.
bool OffersGpus(const nlohmann::json& pool, const Requirements& reqs) {
  auto defined = [&](std::string_view key) {
    auto [begin, end] = reqs.equal_range(std::string(key));
    return begin != end && std::none_of(begin, end, [](const auto& r) { return r.second.op == "DoesNotExist"; });
  };
  if (defined(kGpuProductLabel)) return true;
  for (std::string_view key : kGpuCountKeys) {
    if (defined(key) && AdmitsGpuCount(reqs, key, 1)) return true;
  }
  for (std::string_view key : kGpuKindKeys) {
    if (defined(key)) return true;
  }
  return QuantityAt(pool, {"spec", "limits", kGpuResource}).value_or(0) > 0;
}

std::optional<std::string> Refusal(const nlohmann::json& pool, const GpuFitRequest& request) {
  if (FindPath(pool, {"spec", "replicas"}) != nullptr) {
    return std::string("it is a static NodePool (spec.replicas): it keeps a fixed number of nodes");
  }
  if (const nlohmann::json* ready = FindCondition(pool, "Ready");
      ready != nullptr && StringAt(*ready, {"status"}) != "True") {
    std::string message = StringAt(*ready, {"message"});
    return fmt::format("it is not Ready{}", message.empty() ? "" : " (" + message + ")");
  }
  // UntoleratedTaint reads a node's spec.taints: hand it the taints the NodePool's nodes will carry.
  nlohmann::json as_node = {{"spec", {{"taints", nlohmann::json::array()}}}};
  if (const nlohmann::json* taints = FindPath(pool, {"spec", "template", "spec", "taints"}); taints != nullptr) {
    as_node["spec"]["taints"] = *taints;
  }
  if (auto taint = UntoleratedTaint(as_node, request.tolerations)) {
    return fmt::format("its taint {} is not tolerated by the pods", *taint);
  }
  const Requirements reqs = RequirementsOf(pool);
  for (const auto* labels : {&request.node_selector, &request.required_node_labels}) {
    for (const auto& [key, value] : *labels) {
      if (auto why = LabelRefused(reqs, key, value)) return why;
    }
  }
  if (!OffersGpus(pool, reqs)) {
    return fmt::format("it names no GPU instances (no GPU requirement, {} label or {} limit)", kGpuProductLabel,
                       kGpuResource);
  }
  for (std::string_view key : kGpuCountKeys) {
    if (!AdmitsGpuCount(reqs, key, request.gpus_per_pod)) {
      return fmt::format("its requirement on {} admits no instance with {} GPUs", key, request.gpus_per_pod);
    }
  }
  return std::nullopt;
}

void BoundByLimits(const nlohmann::json& pool, const GpuFitRequest& request, NodePoolFit& fit) {
  auto bound = [&](int64_t pods, std::string limit) {
    pods = std::max<int64_t>(0, pods);
    if (!fit.pods_within_limits || pods < *fit.pods_within_limits) {
      fit.pods_within_limits = pods;
      fit.limit = std::move(limit);
    }
  };
  if (auto limit = QuantityAt(pool, {"spec", "limits", kGpuResource})) {
    const int64_t used = QuantityAt(pool, {"status", "resources", kGpuResource}).value_or(0);
    bound((*limit - used) / request.gpus_per_pod,
          fmt::format("limits.{} {} with {} in use", kGpuResource, *limit, used));
  }
  if (auto limit = QuantityAt(pool, {"spec", "limits", "nodes"})) {
    const nlohmann::json* nodes = FindPath(pool, {"status", "nodes"});
    const int64_t used = nodes != nullptr && nodes->is_number_integer()
                             ? nodes->get<int64_t>()
                             : QuantityAt(pool, {"status", "resources", "nodes"}).value_or(0);
    // Each new node holds at least one pod.
    bound(*limit - used, fmt::format("limits.nodes {} with {} in use", *limit, used));
  }
}

}  // namespace

std::vector<NodePoolFit> JudgeNodePools(const nlohmann::json& node_pools, const GpuFitRequest& request) {
  std::vector<NodePoolFit> out;
  for (const nlohmann::json& pool : ItemsOf(node_pools)) {
    NodePoolFit fit;
    fit.name = StringAt(pool, {"metadata", "name"});
    if (auto why = Refusal(pool, request)) {
      fit.why_not = std::move(*why);
    } else {
      fit.holds = true;
      BoundByLimits(pool, request, fit);
    }
    out.push_back(std::move(fit));
  }
  return out;
}

}  // namespace llm

#include "node_validation/node_selection.h"

#include <algorithm>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "kube/object_fields.h"
#include "kube/well_known_names.h"
#include "workload/pod_resources.h"

namespace llm {
namespace {

constexpr std::size_t kPodsNamedInReason = 3;

std::string NotReadyReason(const nlohmann::json& node) {
  for (const auto& condition : ArrayAt(node, {"status", "conditions"})) {
    if (StringAt(condition, {"type"}) != "Ready") continue;
    const std::string status = StringAt(condition, {"status"}, "Unknown");
    if (status == "True") return "";
    const std::string message = StringAt(condition, {"message"});
    return message.empty() ? fmt::format("not ready (Ready={})", status)
                           : fmt::format("not ready (Ready={}: {})", status, message);
  }
  return "not ready (no Ready condition)";
}

std::string BusyReason(const std::vector<std::string>& pods) {
  std::string names;
  for (std::size_t i = 0; i < pods.size() && i < kPodsNamedInReason; ++i) {
    names += (i == 0 ? "" : ", ") + pods[i];
  }
  if (pods.size() > kPodsNamedInReason) names += fmt::format(" and {} more", pods.size() - kPodsNamedInReason);
  return fmt::format("GPUs in use by {} pod{}: {}", pods.size(), pods.size() == 1 ? "" : "s", names);
}

}  // namespace

void KeepSelectionFields(nlohmann::json& node) {
  KeepOnlyPaths(node, {{"metadata", "name"},
                       {"metadata", "labels"},
                       {"spec", "unschedulable"},
                       {"status", "allocatable"},
                       {"status", "conditions"}});
}

bool HoldsNodeGpus(const nlohmann::json& pod) {
  // The scheduler's arithmetic (sidecars, overhead), the same as preflight's GPU fit.
  const nlohmann::json* spec = FindPath(pod, {"spec"});
  return spec != nullptr && !IsTerminalPod(pod) && !StringAt(*spec, {"nodeName"}).empty() && PodSpecRequest(*spec) > 0;
}

Result<NodeSelection> SelectNodes(const NodeSelectionRequest& request, const nlohmann::json& nodes,
                                  const nlohmann::json& pods) {
  const std::unordered_set<std::string> wanted(request.names.begin(), request.names.end());
  std::unordered_set<std::string> found;

  // One pass over pods: node -> GPU-holding pods, so each node costs O(1) below.
  std::unordered_map<std::string, std::vector<std::string>> busy;
  if (!request.include_busy) {
    for (const auto& pod : ItemsOf(pods)) {
      if (HoldsNodeGpus(pod)) busy[StringAt(pod, {"spec", "nodeName"})].push_back(NamespaceOf(pod) + "/" + NameOf(pod));
    }
  }

  NodeSelection out;
  for (const auto& node : ItemsOf(nodes)) {
    const std::string name = NameOf(node);
    const bool named = !wanted.empty();
    if (named) {
      if (!wanted.contains(name)) continue;
      found.insert(name);
    } else if (!request.selector.Matches(LabelsOf(node))) {
      continue;
    }
    const auto labels = LabelsOf(node);
    const auto product_it = labels.find(std::string(kGpuProductLabel));
    const std::string product = product_it == labels.end() ? "" : product_it->second;
    const auto zone_it = labels.find(std::string(kZoneLabel));
    const std::string zone = zone_it == labels.end() ? "" : zone_it->second;
    const long long gpus = AllocatableGpus(node);
    if (gpus <= 0) {
      if (named) out.skipped.push_back({name, product, "no allocatable nvidia.com/gpu", zone});
      continue;
    }
    std::vector<std::string> reasons;
    if (BoolAt(node, {"spec", "unschedulable"})) {
      reasons.push_back("cordoned (spec.unschedulable)");
    }
    if (std::string not_ready = NotReadyReason(node); !not_ready.empty()) reasons.push_back(std::move(not_ready));
    if (auto it = busy.find(name); it != busy.end()) {
      std::sort(it->second.begin(), it->second.end());
      reasons.push_back(BusyReason(it->second));
    }
    if (reasons.empty()) {
      out.to_test.push_back({name, product, gpus, zone});
    } else {
      std::string joined;
      for (const std::string& r : reasons) joined += (joined.empty() ? "" : "; ") + r;
      out.skipped.push_back({name, product, std::move(joined), zone});
    }
  }

  if (found.size() != wanted.size()) {
    std::vector<std::string> missing;
    for (const std::string& name : request.names) {
      if (!found.contains(name)) missing.push_back(fmt::format("\"{}\"", name));
    }
    std::sort(missing.begin(), missing.end());
    missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
    std::string list;
    for (const std::string& m : missing) list += (list.empty() ? "" : ", ") + m;
    return Error(ErrorKind::kNotFound, fmt::format("nodes {} not found", list));
  }
  auto by_name = [](const auto& a, const auto& b) { return a.name < b.name; };
  std::sort(out.to_test.begin(), out.to_test.end(), by_name);
  std::sort(out.skipped.begin(), out.skipped.end(), by_name);
  return out;
}

}  // namespace llm

#include "workload/gpu_capacity.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "kube/object_fields.h"
#include "kube/well_known_names.h"
#include "workload/node_scheduling.h"
#include "workload/pod_resources.h"

namespace llm {
namespace {

std::string Count(int64_t n, std::string_view singular, std::string_view plural) {
  return fmt::format("{} {}", n, n == 1 ? singular : plural);
}

struct Candidate {
  int64_t allocatable = 0;
  int64_t free = 0;
};

// Counts per reason, in the order reasons were first seen (node order), so
// the sentence is stable and each count names exactly its taint or label.
class ReasonCounts {
 public:
  void Add(const std::string& reason) {
    for (auto& [text, count] : counts_) {
      if (text == reason) {
        ++count;
        return;
      }
    }
    counts_.emplace_back(reason, 1);
  }
  void AppendTo(std::vector<std::string>& parts, std::string_view what) const {
    for (const auto& [text, count] : counts_) parts.push_back(fmt::format("{} {} {}", count, what, text));
  }

 private:
  std::vector<std::pair<std::string, int>> counts_;
};

struct Exclusions {
  int cordoned = 0;
  ReasonCounts taints;
  ReasonCounts missing_labels;
  int without_gpus = 0;
};

// "products present: A x2 nodes, B x1 node", over every node with the label.
std::string ProductsPresent(const nlohmann::json& nodes) {
  std::map<std::string, int64_t> products;
  for (const nlohmann::json& node : ItemsOf(nodes)) {
    std::string product = LabelOf(node, kGpuProductLabel);
    if (!product.empty()) ++products[product];
  }
  if (products.empty()) return fmt::format("no node has the {} label", kGpuProductLabel);
  std::string text = "products present: ";
  bool first = true;
  for (const auto& [product, count] : products) {
    if (!first) text += ", ";
    first = false;
    text += fmt::format("{} x{}", product, Count(count, "node", "nodes"));
  }
  return text;
}

std::string NoMatchReason(const nlohmann::json& nodes, const GpuFitRequest& request, const Exclusions& ex,
                          size_t total) {
  if (total == 0) return "the cluster has no nodes";
  // A product nobody has is the most common mistake; say which products exist.
  const std::string wanted = WantedGpuProduct(request);
  if (!wanted.empty()) {
    bool present = std::any_of(ItemsOf(nodes).begin(), ItemsOf(nodes).end(),
                               [&](const nlohmann::json& node) { return LabelOf(node, kGpuProductLabel) == wanted; });
    if (!present) return fmt::format("no node matches {}={} ({})", kGpuProductLabel, wanted, ProductsPresent(nodes));
  }
  std::vector<std::string> parts;
  if (ex.cordoned > 0) parts.push_back(fmt::format("{} cordoned", ex.cordoned));
  ex.taints.AppendTo(parts, "with untolerated taint");
  ex.missing_labels.AppendTo(parts, "not matching");
  if (ex.without_gpus > 0) parts.push_back(fmt::format("{} without {}", ex.without_gpus, kGpuResource));
  return fmt::format("no node can run these pods: 0 of {} match ({})",
                     Count(static_cast<int64_t>(total), "node", "nodes"), fmt::join(parts, ", "));
}

}  // namespace

std::string WantedGpuProduct(const GpuFitRequest& request) {
  if (auto it = request.node_selector.find(std::string(kGpuProductLabel)); it != request.node_selector.end()) {
    return it->second;
  }
  if (auto it = request.required_node_labels.find(std::string(kGpuProductLabel));
      it != request.required_node_labels.end()) {
    return it->second;
  }
  return "";
}

std::string_view GpuFitVerdictName(GpuFitVerdict verdict) {
  switch (verdict) {
    case GpuFitVerdict::kFitsNow:
      return "FitsNow";
    case GpuFitVerdict::kFitsClusterNotNow:
      return "FitsClusterNotNow";
    case GpuFitVerdict::kNeverFits:
      return "NeverFits";
  }
  return "NeverFits";
}

GpuFit CheckGpuFit(const nlohmann::json& nodes, const nlohmann::json& pods, const GpuFitRequest& request) {
  GpuFit fit;
  if (request.gpus_per_pod <= 0) {
    fit.verdict = GpuFitVerdict::kFitsNow;
    fit.reason = fmt::format("no {} requested", kGpuResource);
    return fit;
  }
  std::map<std::string, int64_t> used = RequestsByNode(pods);
  Exclusions ex;
  std::vector<Candidate> candidates;
  const nlohmann::json& items = ItemsOf(nodes);
  for (const nlohmann::json& node : items) {
    if (IsCordoned(node)) {
      ++ex.cordoned;
      continue;
    }
    if (auto taint = UntoleratedTaint(node, request.tolerations)) {
      ex.taints.Add(*taint);
      continue;
    }
    auto missing = MissingNodeLabel(node, request.node_selector);
    if (!missing) missing = MissingNodeLabel(node, request.required_node_labels);
    if (missing) {
      ex.missing_labels.Add(*missing);
      continue;
    }
    const nlohmann::json* allocatable = FindPath(node, {"status", "allocatable", kGpuResource});
    int64_t gpus = allocatable == nullptr ? 0 : ParseCountQuantity(*allocatable).value_or(0);
    if (gpus <= 0) {
      ++ex.without_gpus;
      continue;
    }
    int64_t in_use = std::min(gpus, used[StringAt(node, {"metadata", "name"})]);
    candidates.push_back({gpus, gpus - in_use});
    fit.matching_node_names.push_back(StringAt(node, {"metadata", "name"}));
    fit.matching_gpus += gpus;
    fit.used_gpus += in_use;
  }
  fit.matching_nodes = static_cast<int>(candidates.size());
  if (candidates.empty()) {
    fit.reason = NoMatchReason(nodes, request, ex, items.size());
    fit.pods_short = request.pods;
    return fit;
  }

  const int64_t g = request.gpus_per_pod;
  int64_t largest = 0;
  bool one_pod_per_node = true;  // then "nodes" is the natural unit of the sentence
  for (const Candidate& c : candidates) {
    largest = std::max(largest, c.allocatable);
    fit.pods_fit_empty += c.allocatable / g;
    fit.pods_fit_now += c.free / g;
    if (c.allocatable >= 2 * g) one_pod_per_node = false;
  }
  if (largest < g) {
    fit.reason = fmt::format("each pod needs {} {}; the largest matching node has {}", g, kGpuResource, largest);
    fit.pods_short = request.pods;
    return fit;
  }
  const std::string what = fmt::format("{} of {}", Count(request.pods, "pod", "pods"), Count(g, "GPU", "GPUs"));
  const std::string in_use = fmt::format("{} of {} GPUs in use", fit.used_gpus, fit.matching_gpus);
  const char* need = request.pods == 1 ? "needs" : "need";
  const char* fits = request.pods == 1 ? "fits" : "fit";
  if (fit.pods_fit_empty < request.pods) {
    fit.reason = one_pod_per_node
                     ? fmt::format("{} {} {} with {}; only {} that many", what, need,
                                   Count(request.pods, "node", "nodes"), Count(g, "GPU", "GPUs"),
                                   Count(fit.pods_fit_empty, "matching node has", "matching nodes have"))
                     : fmt::format("{} {} room for {}; the {} can hold {} even when empty", what, need,
                                   Count(request.pods, "pod", "pods"),
                                   Count(fit.matching_nodes, "matching node", "matching nodes"), fit.pods_fit_empty);
    fit.pods_short = request.pods - fit.pods_fit_empty;
    return fit;
  }
  if (fit.pods_fit_now >= request.pods) {
    fit.verdict = GpuFitVerdict::kFitsNow;
    fit.reason = one_pod_per_node
                     ? fmt::format("{} {} now: {} {} ({})", what, fits,
                                   Count(fit.pods_fit_now, "matching node has", "matching nodes have"),
                                   Count(g, "free GPU", "free GPUs"), in_use)
                     : fmt::format("{} {} now: free GPUs have room for {} ({})", what, fits, fit.pods_fit_now, in_use);
    return fit;
  }
  fit.verdict = GpuFitVerdict::kFitsClusterNotNow;
  fit.reason = one_pod_per_node ? fmt::format("{} {} {} with {}; {} now ({})", what, need,
                                              Count(request.pods, "node", "nodes"), Count(g, "free GPU", "free GPUs"),
                                              fit.pods_fit_now == 1 ? std::string("1 has them")
                                                                    : fmt::format("{} have them", fit.pods_fit_now),
                                              in_use)
                                : fmt::format("{} {} room for {}; free GPUs have room for {} now ({})", what, need,
                                              Count(request.pods, "pod", "pods"), fit.pods_fit_now, in_use);
  return fit;
}

}  // namespace llm

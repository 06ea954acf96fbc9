#include "workload/prometheus_selection.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "kube/label_selector.h"
#include "kube/object_fields.h"

namespace llm {
namespace {

using nlohmann::json;

/// Why Prometheus `id` does not watch PodMonitors in `ns`; "" when it does.
std::string NamespaceMismatch(const json& prometheus, const std::string& id, std::string_view ns,
                              const std::map<std::string, std::string>& namespace_labels) {
  const json* selector = FindPath(prometheus, {"spec", "podMonitorNamespaceSelector"});
  if (selector == nullptr || selector->is_null()) {
    const std::string own = NamespaceOf(prometheus);
    if (own == ns) return "";
    return fmt::format(
        "Prometheus {} watches PodMonitors only in its own namespace {} (its spec.podMonitorNamespaceSelector is not "
        "set)",
        id, own);
  }
  auto parsed = LabelSelector::FromApi(*selector, "spec.podMonitorNamespaceSelector");
  if (!parsed.ok()) return fmt::format("Prometheus {}: {}", id, parsed.error().message());
  const std::vector<std::string> unmet = parsed->Unmet(namespace_labels);
  if (unmet.empty()) return "";
  return fmt::format(
      "Prometheus {} watches PodMonitors only in namespaces labelled {} (its spec.podMonitorNamespaceSelector); "
      "namespace {} lacks {}",
      id, parsed->String(), ns, fmt::join(unmet, ", "));
}

}  // namespace

PrometheusPick PickPrometheus(const json& prometheuses, std::string_view ns,
                              const std::map<std::string, std::string>& namespace_labels,
                              const std::map<std::string, std::string>& own_labels) {
  PrometheusPick pick;
  std::map<std::string, std::string> labels = own_labels;
  for (const json& prometheus : ItemsOf(prometheuses)) {
    const std::string id = NamespaceOf(prometheus) + "/" + NameOf(prometheus);
    const json* selector = FindPath(prometheus, {"spec", "podMonitorSelector"});
    if (selector == nullptr || selector->is_null()) {
      pick.why_not.push_back(
          fmt::format("Prometheus {} selects no PodMonitor (its spec.podMonitorSelector is not set)", id));
      continue;
    }
    if (std::string mismatch = NamespaceMismatch(prometheus, id, ns, namespace_labels); !mismatch.empty()) {
      pick.why_not.push_back(std::move(mismatch));
      continue;
    }
    auto parsed = LabelSelector::FromApi(*selector, "spec.podMonitorSelector");
    if (!parsed.ok()) {
      pick.why_not.push_back(fmt::format("Prometheus {}: {}", id, parsed.error().message()));
      continue;
    }
    // Its matchLabels are copied unless the PodMonitor already has the key
    // with another value (a kubectl-llm label, or another Prometheus's ask).
    std::map<std::string, std::string> with = labels;
    std::vector<std::pair<std::string, std::string>> added;
    std::string conflict;
    static const json kNone = json::object();
    const json* match_labels = FindPath(*selector, {"matchLabels"});
    const json& wanted_labels = match_labels != nullptr && match_labels->is_object() ? *match_labels : kNone;
    for (const auto& [key, value] : wanted_labels.items()) {
      const std::string wanted = value.get<std::string>();  // FromApi checked it is a string
      if (auto it = with.find(key); it != with.end()) {
        if (it->second != wanted) {
          conflict = fmt::format("Prometheus {} selects PodMonitors labelled {}={}, but this PodMonitor's {} is {}", id,
                                 key, wanted, key, it->second);
          break;
        }
        continue;
      }
      with.emplace(key, wanted);
      added.emplace_back(key, wanted);
    }
    if (!conflict.empty()) {
      pick.why_not.push_back(std::move(conflict));
      continue;
    }
    // What is left are matchExpressions: a value for them would be a guess.
    if (const std::vector<std::string> unmet = parsed->Unmet(with); !unmet.empty()) {
      pick.why_not.push_back(fmt::format(
          "Prometheus {}'s spec.podMonitorSelector also needs {}, which --monitor does not guess (add the label with "
          "--patch PodMonitor/NAME=FILE)",
          id, fmt::join(unmet, ", ")));
      continue;
    }
    labels = std::move(with);
    pick.labels.insert(pick.labels.end(), added.begin(), added.end());
    pick.selected_by.push_back(id);
  }
  return pick;
}

PrometheusAddress PickPrometheusAddress(const json& prometheuses, const PrometheusPick& pick) {
  std::vector<std::string> ids;
  for (const json& prometheus : ItemsOf(prometheuses))
    ids.push_back(NamespaceOf(prometheus) + "/" + NameOf(prometheus));
  std::string chosen;
  if (!pick.selected_by.empty()) {
    chosen = pick.selected_by.front();
  } else if (ids.size() == 1) {
    chosen = ids.front();
  } else if (ids.empty()) {
    return {"", "", "no Prometheus (monitoring.coreos.com/v1) exists in the cluster"};
  } else {
    return {"", "",
            fmt::format("{} Prometheus objects exist ({}) and none selects the workload's PodMonitor", ids.size(),
                        fmt::join(ids, ", "))};
  }
  for (const json& prometheus : ItemsOf(prometheuses)) {
    if (NamespaceOf(prometheus) + "/" + NameOf(prometheus) != chosen) continue;
    std::string prefix = StringAt(prometheus, {"spec", "routePrefix"});
    while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
    if (!prefix.empty() && prefix.front() != '/') prefix.insert(0, "/");
    return {fmt::format("http://prometheus-operated.{}.svc:9090{}", NamespaceOf(prometheus), prefix), chosen, ""};
  }
  return {"", "", fmt::format("Prometheus {} is not among the Prometheus objects read", chosen)};
}

std::string PrometheusPickNote(const PrometheusPick& pick, std::string_view name) {
  if (pick.selected_by.empty()) return "";
  std::string line =
      fmt::format("PodMonitor {} will be picked up by Prometheus {}", name, fmt::join(pick.selected_by, ", "));
  if (!pick.labels.empty()) {
    std::vector<std::string> labels;
    for (const auto& [key, value] : pick.labels) labels.push_back(key + "=" + value);
    line += fmt::format(" (labelled {} for its spec.podMonitorSelector)", fmt::join(labels, ","));
  }
  return line;
}

std::string PrometheusPickWarning(const PrometheusPick& pick, std::string_view name) {
  if (!pick.selected_by.empty()) return "";
  if (pick.why_not.empty()) {
    return fmt::format(
        "no Prometheus (monitoring.coreos.com/v1) exists in the cluster, so nothing scrapes PodMonitor {} until one "
        "selects it",
        name);
  }
  return fmt::format("no Prometheus will pick up PodMonitor {}: {}", name, fmt::join(pick.why_not, "; "));
}

}  // namespace llm

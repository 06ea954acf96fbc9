// Which Prometheus (Prometheus Operator, monitoring.coreos.com/v1) will pick
// up a PodMonitor in a namespace, judged from the Prometheus objects the way
// the operator selects (prometheus-operator pkg/prometheus/resource_selector.go,
// the API reference of spec.podMonitorSelector and podMonitorNamespaceSelector):
//  - podMonitorSelector null selects no PodMonitor; {} selects every one;
//  - podMonitorNamespaceSelector null watches only the Prometheus's own
//    namespace; {} every namespace; otherwise the namespaces whose labels match.
// The PodMonitor takes the matchLabels of every Prometheus that watches its
// namespace (the first one wins a conflict), so `serve --monitor` is picked up
// without the user knowing the Prometheus's `release: <name>` convention.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace llm {

struct PrometheusPick {
  /// Labels to add to the PodMonitor, in the order they were found.
  std::vector<std::pair<std::string, std::string>> labels;
  /// "monitoring/kps" for each Prometheus that will select the PodMonitor.
  std::vector<std::string> selected_by;
  /// For each Prometheus that will not: why, naming the label that is missing.
  std::vector<std::string> why_not;
};

/// `prometheuses`: a PrometheusList or array; `namespace_labels`: the labels of
/// namespace `ns`; `own_labels`: the PodMonitor's labels before any is added.
PrometheusPick PickPrometheus(const nlohmann::json& prometheuses, std::string_view ns,
                              const std::map<std::string, std::string>& namespace_labels,
                              const std::map<std::string, std::string>& own_labels);

/// The Prometheus a ScaledObject's trigger asks for the engine's metrics: the
/// one that selects the workload's PodMonitor (`pick`, made with the
/// workload's labels) or, where none does, the only Prometheus there is. Its
/// address is the Service the Prometheus Operator makes for every Prometheus
/// (prometheus-operated in its namespace, port 9090), with its routePrefix.
struct PrometheusAddress {
  std::string url;     ///< "" when none could be chosen
  std::string id;      ///< "monitoring/kps"
  std::string reason;  ///< why none was chosen, when url is ""
};
PrometheusAddress PickPrometheusAddress(const nlohmann::json& prometheuses, const PrometheusPick& pick);

/// The line `serve --monitor` prints: which Prometheus picks PodMonitor `name`
/// up, with the labels it was given. "" when none does.
std::string PrometheusPickNote(const PrometheusPick& pick, std::string_view name);
/// The warning when no Prometheus picks it up: every Prometheus's reason. ""
/// when one does.
std::string PrometheusPickWarning(const PrometheusPick& pick, std::string_view name);

}  // namespace llm

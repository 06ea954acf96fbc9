#include "commands/pod_monitor_placement.h"

#include <fmt/format.h>

#include "kube/object_fields.h"
#include "workload/prometheus_selection.h"

namespace llm {

PodMonitorPlacement PlacePodMonitor(kube::RestClient& client, kube::RestMapper& mapper, const std::string& ns,
                                    const std::string& name, const std::map<std::string, std::string>& own_labels) {
  PodMonitorPlacement placement;
  auto mapping = mapper.MapGroupKind({"monitoring.coreos.com", "Prometheus"});
  if (!mapping.ok()) {
    placement.warnings.push_back(fmt::format(
        "the Prometheus kind (monitoring.coreos.com/v1) is not served, so no Prometheus Operator Prometheus will "
        "pick up PodMonitor {}",
        name));
    return placement;
  }
  // Every namespace: a Prometheus elsewhere may watch this one.
  auto prometheuses = client.List(mapping->resource, kube::ListOptions{});
  if (!prometheuses.ok()) {
    placement.warnings.push_back(fmt::format(
        "Prometheus objects could not be read ({}), so PodMonitor {} carries only its own labels and whether a "
        "Prometheus selects it was not checked",
        prometheuses.error().message(), name));
    return placement;
  }
  // The API server gives every namespace this label; the others need a read.
  std::map<std::string, std::string> namespace_labels = {{"kubernetes.io/metadata.name", ns}};
  if (auto namespace_object = client.Get(kube::core::Namespaces(ns)); namespace_object.ok()) {
    namespace_labels = LabelsOf(*namespace_object);
  } else {
    placement.warnings.push_back(fmt::format(
        "namespace {} could not be read ({}): Prometheus namespace selectors were matched against its name alone", ns,
        namespace_object.error().message()));
  }
  const PrometheusPick pick = PickPrometheus(*prometheuses, ns, namespace_labels, own_labels);
  placement.labels = pick.labels;
  placement.note = PrometheusPickNote(pick, name);
  if (std::string warning = PrometheusPickWarning(pick, name); !warning.empty()) {
    placement.warnings.push_back(std::move(warning));
  }
  return placement;
}

}  // namespace llm

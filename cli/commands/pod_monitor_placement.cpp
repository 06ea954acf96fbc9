#include "commands/pod_monitor_placement.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <optional>

#include "kube/object_fields.h"
#include "workload/prometheus_selection.h"

namespace llm {

namespace {

/// The Prometheus objects of every namespace (a Prometheus elsewhere may watch
/// this one) and the labels of namespace `ns`; nullopt, with a warning, when
/// they cannot be read: `not_served` when the kind is not, else "Prometheus
/// objects could not be read (WHY), so `unread`".
struct PrometheusView {
  nlohmann::json prometheuses;
  std::map<std::string, std::string> namespace_labels;
};
std::optional<PrometheusView> ReadPrometheuses(kube::RestClient& client, kube::RestMapper& mapper,
                                               const std::string& ns, const std::string& not_served,
                                               const std::string& unread, std::vector<std::string>& warnings) {
  auto mapping = mapper.MapGroupKind({"monitoring.coreos.com", "Prometheus"});
  if (!mapping.ok()) {
    warnings.push_back(not_served);
    return std::nullopt;
  }
  auto prometheuses = client.List(mapping->resource, kube::ListOptions{});
  if (!prometheuses.ok()) {
    warnings.push_back(
        fmt::format("Prometheus objects could not be read ({}), so {}", prometheuses.error().message(), unread));
    return std::nullopt;
  }
  // The API server gives every namespace this label; the others need a read.
  PrometheusView view{std::move(*prometheuses), {{"kubernetes.io/metadata.name", ns}}};
  if (auto namespace_object = client.Get(kube::core::Namespaces(ns)); namespace_object.ok()) {
    view.namespace_labels = LabelsOf(*namespace_object);
  } else {
    warnings.push_back(fmt::format(
        "namespace {} could not be read ({}): Prometheus namespace selectors were matched against its name alone", ns,
        namespace_object.error().message()));
  }
  return view;
}

}  // namespace

PodMonitorPlacement PlacePodMonitor(kube::RestClient& client, kube::RestMapper& mapper, const std::string& ns,
                                    const std::string& name, const std::map<std::string, std::string>& own_labels) {
  PodMonitorPlacement placement;
  const std::optional<PrometheusView> view = ReadPrometheuses(
      client, mapper, ns,
      fmt::format("the Prometheus kind (monitoring.coreos.com/v1) is not served, so no Prometheus Operator "
                  "Prometheus will pick up PodMonitor {}",
                  name),
      fmt::format("PodMonitor {} carries only its own labels and whether a Prometheus selects it was not checked",
                  name),
      placement.warnings);
  if (!view) return placement;
  const PrometheusPick pick = PickPrometheus(view->prometheuses, ns, view->namespace_labels, own_labels);
  placement.labels = pick.labels;
  placement.note = PrometheusPickNote(pick, name);
  if (std::string warning = PrometheusPickWarning(pick, name); !warning.empty()) {
    placement.warnings.push_back(std::move(warning));
  }
  return placement;
}

ScaledObjectPrometheus FindScaledObjectPrometheus(kube::RestClient& client, kube::RestMapper& mapper,
                                                  const std::string& ns, const std::string& name,
                                                  const std::map<std::string, std::string>& own_labels) {
  ScaledObjectPrometheus found;
  std::vector<std::string> unread;
  const std::optional<PrometheusView> view =
      ReadPrometheuses(client, mapper, ns, "the Prometheus kind (monitoring.coreos.com/v1) is not served",
                       fmt::format("the Prometheus of ScaledObject {} is not known", name), unread);
  PrometheusAddress address;
  if (view) {
    address = PickPrometheusAddress(view->prometheuses,
                                    PickPrometheus(view->prometheuses, ns, view->namespace_labels, own_labels));
  }
  if (!address.url.empty()) {
    found.url = address.url;
    found.id = address.id;
    return found;
  }
  found.reason = view ? address.reason : fmt::format("{}", fmt::join(unread, "; "));
  return found;
}

}  // namespace llm

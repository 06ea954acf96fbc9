#include "workload/prometheus_selection.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

using nlohmann::json;

// A Prometheus as the operator's CRD stores it; null selectors are left out,
// as `kubectl apply` leaves an unset field.
json Prometheus(const std::string& ns, const std::string& name, json pod_monitor_selector,
                json namespace_selector = nullptr) {
  json p = {{"apiVersion", "monitoring.coreos.com/v1"},
            {"kind", "Prometheus"},
            {"metadata", {{"namespace", ns}, {"name", name}}},
            {"spec", json::object()}};
  if (!pod_monitor_selector.is_null()) p["spec"]["podMonitorSelector"] = std::move(pod_monitor_selector);
  if (!namespace_selector.is_null()) p["spec"]["podMonitorNamespaceSelector"] = std::move(namespace_selector);
  return p;
}

json List(std::vector<json> items) { return {{"kind", "PrometheusList"}, {"items", items}}; }

const std::map<std::string, std::string> kOwn = {{"app.kubernetes.io/instance", "chat"},
                                                 {"app.kubernetes.io/managed-by", "kubectl-llm"},
                                                 {"app.kubernetes.io/name", "vllm"}};
const std::map<std::string, std::string> kMlNamespace = {{"kubernetes.io/metadata.name", "ml"}};

TEST_CASE("a Prometheus that selects release: kps in every namespace: the PodMonitor gets release=kps") {
  const json prometheuses =
      List({Prometheus("monitoring", "kps", {{"matchLabels", {{"release", "kps"}}}}, json::object())});
  const PrometheusPick pick = PickPrometheus(prometheuses, "ml", kMlNamespace, kOwn);
  CHECK(pick.labels == std::vector<std::pair<std::string, std::string>>{{"release", "kps"}});
  CHECK(pick.selected_by == std::vector<std::string>{"monitoring/kps"});
  CHECK(PrometheusPickNote(pick, "chat") ==
        "PodMonitor chat will be picked up by Prometheus monitoring/kps (labelled release=kps for its "
        "spec.podMonitorSelector)");
  CHECK(PrometheusPickWarning(pick, "chat").empty());
}

TEST_CASE("a Prometheus in the PodMonitor's namespace with an empty selector needs no label") {
  const PrometheusPick pick =
      PickPrometheus(List({Prometheus("ml", "local", json::object())}), "ml", kMlNamespace, kOwn);
  CHECK(pick.labels.empty());
  CHECK(PrometheusPickNote(pick, "chat") == "PodMonitor chat will be picked up by Prometheus ml/local");
}

TEST_CASE("no Prometheus selects the PodMonitor: the warning gives every reason and the missing label") {
  const json prometheuses = List({
      Prometheus("monitoring", "own-namespace", {{"matchLabels", {{"release", "kps"}}}}),
      Prometheus("monitoring", "no-selector", nullptr, json::object()),
      Prometheus("monitoring", "team", {{"matchLabels", {{"release", "kps"}}}},
                 {{"matchLabels", {{"monitoring", "enabled"}}}}),
      Prometheus(
          "monitoring", "expressions",
          {{"matchExpressions", json::array({{{"key", "tier"}, {"operator", "In"}, {"values", {"gold", "silver"}}}})}},
          json::object()),
      Prometheus("monitoring", "helm", {{"matchLabels", {{"app.kubernetes.io/managed-by", "Helm"}}}}, json::object()),
  });
  const PrometheusPick pick = PickPrometheus(prometheuses, "ml", kMlNamespace, kOwn);
  CHECK(pick.labels.empty());
  CHECK(pick.selected_by.empty());
  CHECK(PrometheusPickNote(pick, "chat").empty());
  CHECK(PrometheusPickWarning(pick, "chat") ==
        "no Prometheus will pick up PodMonitor chat: "
        "Prometheus monitoring/own-namespace watches PodMonitors only in its own namespace monitoring (its "
        "spec.podMonitorNamespaceSelector is not set); "
        "Prometheus monitoring/no-selector selects no PodMonitor (its spec.podMonitorSelector is not set); "
        "Prometheus monitoring/team watches PodMonitors only in namespaces labelled monitoring=enabled (its "
        "spec.podMonitorNamespaceSelector); namespace ml lacks monitoring=enabled; "
        "Prometheus monitoring/expressions's spec.podMonitorSelector also needs tier in (gold,silver), which "
        "--monitor does not guess (add the label with --patch PodMonitor/NAME=FILE); "
        "Prometheus monitoring/helm selects PodMonitors labelled app.kubernetes.io/managed-by=Helm, but this "
        "PodMonitor's app.kubernetes.io/managed-by is kubectl-llm");
}

TEST_CASE("a namespace that has the label the namespace selector asks for is watched") {
  const json prometheuses = List({Prometheus("monitoring", "team", {{"matchLabels", {{"release", "kps"}}}},
                                             {{"matchLabels", {{"monitoring", "enabled"}}}})});
  std::map<std::string, std::string> labelled = kMlNamespace;
  labelled["monitoring"] = "enabled";
  CHECK(PickPrometheus(prometheuses, "ml", labelled, kOwn).selected_by == std::vector<std::string>{"monitoring/team"});
}

TEST_CASE("two Prometheus asking for different values of one label: the first is served, the second says why") {
  const json prometheuses =
      List({Prometheus("monitoring", "a", {{"matchLabels", {{"release", "a"}}}}, json::object()),
            Prometheus("monitoring", "b", {{"matchLabels", {{"release", "b"}, {"team", "ml"}}}}, json::object())});
  const PrometheusPick pick = PickPrometheus(prometheuses, "ml", kMlNamespace, kOwn);
  CHECK(pick.labels == std::vector<std::pair<std::string, std::string>>{{"release", "a"}});
  CHECK(pick.selected_by == std::vector<std::string>{"monitoring/a"});
  REQUIRE(pick.why_not.size() == 1);
  CHECK(pick.why_not[0] ==
        "Prometheus monitoring/b selects PodMonitors labelled release=b, but this PodMonitor's release is a");
}

TEST_CASE("no Prometheus at all: a warning that nothing scrapes the PodMonitor") {
  const PrometheusPick pick = PickPrometheus(List({}), "ml", kMlNamespace, kOwn);
  CHECK(PrometheusPickWarning(pick, "chat") ==
        "no Prometheus (monitoring.coreos.com/v1) exists in the cluster, so nothing scrapes PodMonitor chat until "
        "one selects it");
}

TEST_CASE("a malformed selector is a reason, not a crash") {
  const PrometheusPick pick = PickPrometheus(
      List({Prometheus("monitoring", "bad", {{"matchExpressions", json::array({{{"key", "x"}, {"operator", "Near"}}})}},
                       json::object())}),
      "ml", kMlNamespace, kOwn);
  REQUIRE(pick.why_not.size() == 1);
  CHECK(pick.why_not[0] ==
        "Prometheus monitoring/bad: spec.podMonitorSelector: a matchExpression needs a key and an operator In, NotIn, "
        "Exists or DoesNotExist");
}

}  // namespace
}  // namespace llm

namespace llm {
namespace {

TEST_CASE(
    "a ScaledObject asks the Prometheus that selects the workload, else the only one, at the Operator's Service") {
  using nlohmann::json;
  auto prometheus = [](const std::string& ns, const std::string& name, json spec) {
    return json{{"metadata", {{"namespace", ns}, {"name", name}}}, {"spec", std::move(spec)}};
  };
  const json selector = {{"podMonitorSelector", {{"matchLabels", {{"release", "kps"}}}}},
                         {"podMonitorNamespaceSelector", json::object()}};
  json with_prefix = selector;
  with_prefix["routePrefix"] = "prom/";
  const json two = {{"items", {prometheus("monitoring", "kps", with_prefix), prometheus("infra", "other", {})}}};
  const std::map<std::string, std::string> ml = {{"kubernetes.io/metadata.name", "ml"}};
  const std::map<std::string, std::string> own = {{"app.kubernetes.io/instance", "chat"}};

  PrometheusAddress picked = PickPrometheusAddress(two, PickPrometheus(two, "ml", ml, own));
  CHECK(picked.url == "http://prometheus-operated.monitoring.svc:9090/prom");
  CHECK(picked.id == "monitoring/kps");

  const json only = {{"items", {prometheus("infra", "other", {})}}};
  picked = PickPrometheusAddress(only, PickPrometheus(only, "ml", ml, own));
  CHECK(picked.url == "http://prometheus-operated.infra.svc:9090");
  CHECK(picked.id == "infra/other");

  const json unselected = {{"items", {prometheus("infra", "a", {}), prometheus("infra", "b", {})}}};
  picked = PickPrometheusAddress(unselected, PickPrometheus(unselected, "ml", ml, own));
  CHECK(picked.url.empty());
  CHECK(picked.reason == "2 Prometheus objects exist (infra/a, infra/b) and none selects the workload's PodMonitor");

  picked = PickPrometheusAddress(json::array(), PickPrometheus(json::array(), "ml", ml, own));
  CHECK(picked.url.empty());
  CHECK(picked.reason == "no Prometheus (monitoring.coreos.com/v1) exists in the cluster");
}

}  // namespace
}  // namespace llm

#include "commands/pod_monitor_placement.h"

#include <doctest/doctest.h>

#include "fakes/discovery_fixtures.h"
#include "fakes/fake_clock.h"
#include "fakes/fake_rest_client.h"
#include "kube/discovery.h"

namespace llm {
namespace {

using nlohmann::json;

// The captured v1.35 discovery, plus the Prometheus Operator's group when
// `operator_served` (its CRDs installed, as tests/cluster installs them).
void ServeDiscovery(testing::FakeRestClient& client, bool operator_served) {
  client.routes.On(
      "GET", "/api",
      testing::JsonResponse(testing::ReadTestdata("discovery/aggregated_api.json"), testing::kAggregatedContentType));
  json apis = json::parse(testing::ReadTestdata("discovery/aggregated_apis.json"));
  if (operator_served) {
    json resources = json::array();
    for (const auto& [resource, kind] : {std::pair{"podmonitors", "PodMonitor"}, {"prometheuses", "Prometheus"}}) {
      resources.push_back({{"resource", resource},
                           {"responseKind", {{"group", "monitoring.coreos.com"}, {"version", "v1"}, {"kind", kind}}},
                           {"scope", "Namespaced"},
                           {"verbs", {"get", "list", "patch", "create", "delete"}}});
    }
    apis["items"].push_back({{"metadata", {{"name", "monitoring.coreos.com"}}},
                             {"versions", json::array({{{"version", "v1"}, {"resources", resources}}})}});
  }
  client.routes.On("GET", "/apis", testing::JsonResponse(apis.dump(), testing::kAggregatedContentType));
}

struct Fixture {
  testing::FakeRestClient client;
  testing::FakeClock clock;
  kube::Discovery discovery{client, nullptr, clock, kube::DiscoveryOptions{}};
  kube::RestMapper mapper{discovery};
  const std::map<std::string, std::string> own = {{"app.kubernetes.io/instance", "chat"},
                                                  {"app.kubernetes.io/managed-by", "kubectl-llm"}};
  explicit Fixture(bool operator_served = true) {
    ServeDiscovery(client, operator_served);
    client.Put(kube::core::Namespaces("ml"),
               {{"apiVersion", "v1"},
                {"kind", "Namespace"},
                {"metadata", {{"name", "ml"}, {"labels", {{"kubernetes.io/metadata.name", "ml"}}}}}});
  }
  void PutPrometheus(const std::string& ns, const std::string& name, json spec) {
    client.Put({"monitoring.coreos.com", "v1", "prometheuses", ns, name, ""},
               {{"apiVersion", "monitoring.coreos.com/v1"},
                {"kind", "Prometheus"},
                {"metadata", {{"namespace", ns}, {"name", name}}},
                {"spec", std::move(spec)}});
  }
};

TEST_CASE("PlacePodMonitor: the labels of the Prometheus that watches every namespace, and which one it is") {
  Fixture f;
  f.PutPrometheus("monitoring", "kps",
                  {{"podMonitorSelector", {{"matchLabels", {{"release", "kps"}}}}},
                   {"podMonitorNamespaceSelector", json::object()}});
  const PodMonitorPlacement placement = PlacePodMonitor(f.client, f.mapper, "ml", "chat", f.own);
  CHECK(placement.labels == std::vector<std::pair<std::string, std::string>>{{"release", "kps"}});
  CHECK(placement.note ==
        "PodMonitor chat will be picked up by Prometheus monitoring/kps (labelled release=kps for its "
        "spec.podMonitorSelector)");
  CHECK(placement.warnings.empty());
}

TEST_CASE("PlacePodMonitor: a namespace selector the namespace's labels miss gives the warning") {
  Fixture f;
  f.PutPrometheus("monitoring", "kps",
                  {{"podMonitorSelector", {{"matchLabels", {{"release", "kps"}}}}},
                   {"podMonitorNamespaceSelector", {{"matchLabels", {{"monitoring", "enabled"}}}}}});
  const PodMonitorPlacement placement = PlacePodMonitor(f.client, f.mapper, "ml", "chat", f.own);
  CHECK(placement.labels.empty());
  CHECK(placement.note.empty());
  CHECK(placement.warnings ==
        std::vector<std::string>{"no Prometheus will pick up PodMonitor chat: Prometheus monitoring/kps watches "
                                 "PodMonitors only in namespaces labelled monitoring=enabled (its "
                                 "spec.podMonitorNamespaceSelector); namespace ml lacks monitoring=enabled"});
}

TEST_CASE("PlacePodMonitor: Prometheus objects it may not list are a warning, not an error") {
  Fixture f;
  f.client.FailNext("LIST", testing::FakeRestClient::ErrorFromStatus(
                                403, "Forbidden",
                                "prometheuses.monitoring.coreos.com is forbidden: User \"dev\" cannot list resource "
                                "\"prometheuses\" in API group \"monitoring.coreos.com\" at the cluster scope"));
  const PodMonitorPlacement placement = PlacePodMonitor(f.client, f.mapper, "ml", "chat", f.own);
  CHECK(placement.labels.empty());
  REQUIRE(placement.warnings.size() == 1);
  CHECK(placement.warnings[0].starts_with("Prometheus objects could not be read (Error from server (Forbidden): "));
  CHECK(placement.warnings[0].ends_with(
      "so PodMonitor chat carries only its own labels and whether a Prometheus selects it was not checked"));
}

TEST_CASE("PlacePodMonitor: without the Prometheus kind, says that no Prometheus will pick it up") {
  Fixture f(/*operator_served=*/false);
  const PodMonitorPlacement placement = PlacePodMonitor(f.client, f.mapper, "ml", "chat", f.own);
  CHECK(placement.labels.empty());
  CHECK(placement.warnings == std::vector<std::string>{"the Prometheus kind (monitoring.coreos.com/v1) is not served, "
                                                       "so no Prometheus Operator Prometheus will pick up PodMonitor "
                                                       "chat"});
}

}  // namespace
}  // namespace llm

namespace llm {
namespace {

TEST_CASE("FindScaledObjectPrometheus: the address of the Prometheus found, or why there is none") {
  Fixture f;
  f.PutPrometheus("monitoring", "kps",
                  {{"podMonitorSelector", {{"matchLabels", {{"release", "kps"}}}}},
                   {"podMonitorNamespaceSelector", json::object()}});
  ScaledObjectPrometheus found = FindScaledObjectPrometheus(f.client, f.mapper, "ml", "chat", f.own);
  CHECK(found.url == "http://prometheus-operated.monitoring.svc:9090");
  CHECK(found.id == "monitoring/kps");

  Fixture without(/*operator_served=*/false);
  found = FindScaledObjectPrometheus(without.client, without.mapper, "ml", "chat", without.own);
  CHECK(found.url.empty());
  CHECK(found.reason == "the Prometheus kind (monitoring.coreos.com/v1) is not served");
}

}  // namespace
}  // namespace llm

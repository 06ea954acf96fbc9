#include "commands/status_command.h"

#include <algorithm>
#include <sstream>

#include <doctest/doctest.h>

#include "commands/managed_workloads.h"
#include "fakes/discovery_fixtures.h"
#include "fakes/fake_clock.h"
#include "fakes/fake_rest_client.h"

namespace llm {
namespace {
using nlohmann::json;
using testing::FakeRestClient;

const kube::ResourceRef kDeployments{"apps", "v1", "deployments", "", "", ""};
const kube::ResourceRef kJobs{"batch", "v1", "jobs", "", "", ""};
const kube::ResourceRef kServices{"", "v1", "services", "", "", ""};

json Labels(const std::string& instance, const std::string& component) {
  return {{"app.kubernetes.io/instance", instance},
          {"app.kubernetes.io/name", component == "serve" ? "vllm" : "torchrun"},
          {"app.kubernetes.io/component", component},
          {"app.kubernetes.io/managed-by", "kubectl-llm"}};
}

json Deployment(const std::string& name, const std::string& ns, int replicas, int ready) {
  json d = {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}};
  d["metadata"] = {{"name", name},
                   {"namespace", ns},
                   {"labels", Labels(name, "serve")},
                   {"creationTimestamp", "2026-11-28T10:00:00Z"}};
  json container = {{"name", "vllm"}};
  container["resources"]["limits"]["nvidia.com/gpu"] = "2";
  d["spec"]["replicas"] = replicas;
  d["spec"]["template"]["spec"]["containers"] = json::array({container});
  d["status"] = {{"replicas", replicas}, {"readyReplicas", ready}, {"availableReplicas", ready}};
  return d;
}

json Service(const std::string& name, const std::string& ns) {
  return {{"apiVersion", "v1"},
          {"kind", "Service"},
          {"metadata", {{"name", name}, {"namespace", ns}, {"labels", Labels(name, "serve")}}},
          {"spec", {{"clusterIP", "10.0.0.7"}, {"ports", {{{"name", "http"}, {"port", 8000}}}}}}};
}

struct Fixture {
  FakeRestClient client;
  testing::FakeClock clock;
  kube::Discovery discovery{client, nullptr, clock, kube::DiscoveryOptions{}};
  kube::RestMapper mapper{discovery};
  std::ostringstream out, err;
  std::istringstream in;

  Fixture() { testing::ServeAggregatedDiscovery(client); }
  void Put(const kube::ResourceRef& collection, const json& object) {
    kube::ResourceRef ref = collection;
    ref.ns = object["metadata"].value("namespace", "");
    ref.name = object["metadata"]["name"];
    client.Put(ref, object);
  }
  Status Run(StatusOptions options, const std::string& ns = "ml") {
    StatusTarget target{client, mapper, ns, std::chrono::system_clock::time_point{} + std::chrono::hours(493000)};
    return RunStatus(options, target, IoStreams{in, out, err});
  }
};

TEST_CASE("status -o json prints WorkloadStatusList with the namespace's endpoint") {
  Fixture f;
  f.Put(kDeployments, Deployment("chat", "ml", 2, 1));
  f.Put(kServices, Service("chat", "ml"));
  f.Put(kServices, Service("chat", "other"));  // another namespace's chat is not this one's endpoint
  REQUIRE(f.Run({.output = "json"}).ok());
  json doc = json::parse(f.out.str());
  CHECK(doc["apiVersion"] == "kubectl-llm.dev/v1alpha1");
  CHECK(doc["kind"] == "WorkloadStatusList");
  REQUIRE(doc["items"].size() == 1);
  const json& item = doc["items"][0];
  CHECK(item["name"] == "chat");
  CHECK(item["namespace"] == "ml");
  CHECK(item["kind"] == "Deployment");
  CHECK(item["apiVersion"] == "apps/v1");
  CHECK(item["engine"] == "vllm");
  CHECK(item["ready"] == 1);
  CHECK(item["desired"] == 2);
  CHECK(item["gpus"] == 4);
  CHECK(item["endpoint"]["url"] == "http://chat.ml.svc:8000");
}

TEST_CASE(
    "status NAME asks for its lists together: every workload kind's in one batch, then Services and autoscalers") {
  Fixture f;
  f.Put(kDeployments, Deployment("chat", "ml", 2, 1));
  f.Put(kServices, Service("chat", "ml"));
  REQUIRE(f.Run({.name = "chat"}).ok());
  REQUIRE(f.client.prefetches().size() == 2);
  const std::vector<std::string>& kinds = f.client.prefetches()[0];
  CHECK(kinds.size() > 1);
  CHECK(std::find(kinds.begin(), kinds.end(), "LIST deployments.apps ml") != kinds.end());
  CHECK(f.client.prefetches()[1] ==
        std::vector<std::string>{"LIST services ml", "LIST horizontalpodautoscalers.autoscaling ml"});
  // Each read is one the command then makes, with the same selectors: none is sent for nothing.
  CHECK(f.client.UnusedPrefetches().empty());
}

TEST_CASE("status in a namespace with no workload asks for no Services or autoscalers") {
  Fixture f;
  REQUIRE(f.Run({}).ok());
  CHECK(f.client.prefetches().size() == 1);
  CHECK(f.client.UnusedPrefetches().empty());
}

TEST_CASE("status skips unmanaged objects and Jobs owned by a controller (a JobSet's)") {
  Fixture f;
  f.Put(kDeployments, Deployment("chat", "ml", 1, 1));
  json unmanaged = Deployment("other", "ml", 1, 1);
  unmanaged["metadata"]["labels"].erase("app.kubernetes.io/managed-by");
  f.Put(kDeployments, unmanaged);
  json child = {{"apiVersion", "batch/v1"},
                {"kind", "Job"},
                {"metadata",
                 {{"name", "train-workers-0"},
                  {"namespace", "ml"},
                  {"labels", Labels("train", "train")},
                  {"ownerReferences", {{{"kind", "JobSet"}, {"name", "train"}, {"controller", true}}}}}},
                {"spec", {{"parallelism", 2}}}};
  f.Put(kJobs, child);
  json job = child;
  job["metadata"]["name"] = "pretrain";
  job["metadata"]["labels"] = Labels("pretrain", "train");
  job["metadata"].erase("ownerReferences");
  f.Put(kJobs, job);
  REQUIRE(f.Run({}).ok());
  const std::string table = f.out.str();
  CHECK(table.starts_with("NAME "));
  CHECK(table.find("\nchat ") != std::string::npos);
  CHECK(table.find("\npretrain ") != std::string::npos);
  CHECK(table.find("other") == std::string::npos);
  CHECK(table.find("train-workers-0") == std::string::npos);
}

TEST_CASE("status -A lists every namespace with a NAMESPACE column, sorted") {
  Fixture f;
  f.Put(kDeployments, Deployment("b", "zeta", 1, 1));
  f.Put(kDeployments, Deployment("a", "alpha", 1, 0));
  REQUIRE(f.Run({.all_namespaces = true}).ok());
  const std::string table = f.out.str();
  CHECK(table.starts_with("NAMESPACE "));
  CHECK(table.find("alpha") < table.find("zeta"));
  CHECK(f.client.calls().end() != std::find(f.client.calls().begin(), f.client.calls().end(), "LIST deployments.apps"));
}

TEST_CASE("status NAME that does not exist is NotFound, an empty namespace says so on stderr") {
  Fixture f;
  Status missing = f.Run({.name = "ghost"});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind() == ErrorKind::kNotFound);
  CHECK(missing.error().message().find("\"ghost\"") != std::string::npos);
  REQUIRE(f.Run({}).ok());
  CHECK(f.out.str().empty());
  CHECK(f.err.str() == "No resources found in ml namespace.\n");
}

TEST_CASE("status -o json with nothing found is an empty list, not a message") {
  Fixture f;
  REQUIRE(f.Run({.output = "json"}).ok());
  CHECK(json::parse(f.out.str())["items"].empty());
}

TEST_CASE("status options: -o and NAME with -A are checked") {
  CHECK(ValidateStatusOptions({.output = "name"}).error().kind() == ErrorKind::kUsage);
  CHECK(ValidateStatusOptions({.name = "x", .all_namespaces = true}).error().kind() == ErrorKind::kUsage);
  CHECK(ValidateStatusOptions({.output = "wide"}).ok());
}

TEST_CASE("FindManagedWorkload: one match, or NotFound") {
  Fixture f;
  f.Put(kDeployments, Deployment("chat", "ml", 1, 1));
  auto found = FindManagedWorkload(f.client, f.mapper, "ml", "chat");
  REQUIRE(found.ok());
  CHECK(found->mapping.resource.resource == "deployments");
  CHECK(found->object["kind"] == "Deployment");
  CHECK(FindManagedWorkload(f.client, f.mapper, "other", "chat").error().kind() == ErrorKind::kNotFound);
}

json Labelled(json object, const std::string& team) {
  object["metadata"]["labels"]["team"] = team;
  return object;
}

TEST_CASE("status -l and --field-selector go to the server with the plugin's own selector") {
  Fixture f;
  f.Put(kDeployments, Labelled(Deployment("chat", "ml", 1, 1), "a"));
  f.Put(kDeployments, Labelled(Deployment("web", "ml", 1, 1), "b"));
  REQUIRE(f.Run({.listing = {.selector = "team=a", .no_headers = true}}).ok());
  CHECK(f.out.str().starts_with("chat "));
  CHECK(f.out.str().find("web") == std::string::npos);
  f.out.str("");
  REQUIRE(f.Run({.listing = {.field_selector = "metadata.name=web", .no_headers = true}}).ok());
  CHECK(f.out.str().starts_with("web "));
  CHECK(f.out.str().find("chat") == std::string::npos);
  const Status bad = f.Run({.listing = {.selector = "team in (a"}});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().kind() == ErrorKind::kUsage);
  CHECK(bad.error().message().starts_with("invalid --selector \"team in (a\""));
}

TEST_CASE("status --sort-by orders by the workload object's field, the table and -o json alike") {
  Fixture f;
  f.Put(kDeployments, Deployment("a", "ml", 10, 1));
  f.Put(kDeployments, Deployment("b", "ml", 9, 1));
  f.Put(kDeployments, Deployment("c", "ml", 100, 1));
  REQUIRE(f.Run({.listing = {.sort_by = ".spec.replicas", .no_headers = true}}).ok());
  CHECK(f.out.str().find("b ") < f.out.str().find("a "));
  CHECK(f.out.str().find("a ") < f.out.str().find("c "));
  f.out.str("");
  REQUIRE(f.Run({.output = "json", .listing = {.sort_by = "{.spec.replicas}"}}).ok());
  const json doc = json::parse(f.out.str());
  CHECK(doc["items"][0]["name"] == "b");
  CHECK(doc["items"][1]["name"] == "a");
  CHECK(doc["items"][2]["name"] == "c");
  const Status missing = f.Run({.listing = {.sort_by = ".spec.nothing"}});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message() == "couldn't find any field with path \"{.spec.nothing}\" in the list of objects");
}

TEST_CASE("status -L and --show-labels add the workload's labels after the columns, not with -o json") {
  Fixture f;
  f.Put(kDeployments, Labelled(Deployment("chat", "ml", 1, 1), "a"));
  REQUIRE(f.Run({.listing = {.label_columns = {"team", "app.kubernetes.io/component"}, .show_labels = true}}).ok());
  const std::string table = f.out.str();
  const std::string header = table.substr(0, table.find('\n'));
  CHECK(header.ends_with("   TEAM   COMPONENT   LABELS"));
  CHECK(header.find("AGE ") < header.find("TEAM"));
  CHECK(table.find("a      serve       app.kubernetes.io/component=serve,app.kubernetes.io/instance=chat,"
                   "app.kubernetes.io/managed-by=kubectl-llm,app.kubernetes.io/name=vllm,team=a\n") !=
        std::string::npos);
  CHECK(ValidateStatusOptions({.output = "yaml", .listing = {.show_labels = true}}).error().message() ==
        "--show-labels option cannot be used with yaml printer");
}

TEST_CASE("status -w needs somewhere to print to") {
  Fixture f;
  const Status status = f.Run({.listing = {.watch = true}});
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().kind() == ErrorKind::kInternal);
}

}  // namespace
}  // namespace llm

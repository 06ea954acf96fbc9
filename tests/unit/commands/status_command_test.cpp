#include "commands/status_command.h"

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

}  // namespace
}  // namespace llm

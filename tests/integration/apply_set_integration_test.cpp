// ApplySets and discovery against the real control plane: apply, re-apply,
// server dry run, prune, a foreign parent, and a CRD installed mid-run.
#include <regex>

#include <doctest/doctest.h>

#include "integration/kube_client.h"
#include "kube/applier.h"
#include "kube/rest_mapper.h"
#include "kube/waiter.h"
#include "util/build_info.h"

namespace llm::testing {
namespace {
using nlohmann::json;

std::vector<std::string> Lines(const kube::ApplyOutcome& outcome, bool dry_run = false) {
  std::vector<std::string> lines;
  for (const kube::ObjectResult& result : outcome.results) lines.push_back(kube::FormatResult(result, dry_run));
  return lines;
}

json ConfigMap(const std::string& name, const std::string& value) {
  return {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", name}}}, {"data", {{"k", value}}}};
}

json Service(const std::string& name) {
  return {{"apiVersion", "v1"},
          {"kind", "Service"},
          {"metadata", {{"name", name}}},
          {"spec", {{"selector", {{"app", name}}}, {"ports", {{{"port", 8000}, {"protocol", "TCP"}}}}}}};
}

TEST_CASE("ApplySet: apply, re-apply, and a dropped object is pruned") {
  ScopedNamespace ns("kube-apply-prune");
  Cluster cluster;
  kube::Discovery discovery(*cluster.client, &cluster.files, cluster.clock, cluster.DiscoveryOpts());
  kube::RestMapper mapper(discovery);
  kube::Waiter waiter(*cluster.client, cluster.clock);
  kube::Applier applier(*cluster.client, mapper, waiter);
  kube::ApplierOptions options;
  options.default_namespace = ns.name();
  options.tooling = kube::ApplySetTooling(GetBuildInfo().version);
  const kube::ApplySetRef set{"chat", ns.name()};

  auto first = applier.Apply({Deployment("chat", 1), Service("chat"), ConfigMap("chat-config", "a")}, set, options);
  REQUIRE(first.ok());
  for (const Error& error : first->errors) FAIL(error.message());
  CHECK(Lines(*first) == std::vector<std::string>{"configmap/chat-config created", "service/chat created",
                                                  "deployment.apps/chat created"});
  CommandOutput parent = TestCluster::Get().Kubectl("admin", {"-n", ns.name(), "get", "secret", "chat", "-o", "json"});
  REQUIRE(parent.exit_code == 0);
  json secret = json::parse(parent.out);
  CHECK(secret["metadata"]["labels"][kube::kApplySetIdLabel] == kube::ApplySetId("chat", ns.name(), "Secret", ""));
  CHECK(secret["metadata"]["annotations"][kube::kApplySetGroupKindsAnnotation] == "ConfigMap,Deployment.apps,Service");
  // KEP-3659's NAME/SEMVER, checked against the pattern rather than the helper
  // that builds it (which once wrote "kubectl-llm/vv0.1.0").
  const std::string tooling = secret["metadata"]["annotations"][kube::kApplySetToolingAnnotation];
  CHECK_MESSAGE(std::regex_match(tooling, std::regex(R"(kubectl-llm/v[0-9]+\.[0-9]+\.[0-9]+([-+].*)?)")), tooling);
  CommandOutput members = TestCluster::Get().Kubectl(
      "admin", {"-n", ns.name(), "get", "deployments,services,configmaps", "-l",
                std::string(kube::kApplySetPartOfLabel) + "=" + kube::ApplySetId("chat", ns.name(), "Secret", ""), "-o",
                "name"});
  CHECK(members.out == "deployment.apps/chat\nservice/chat\nconfigmap/chat-config\n");

  auto second = applier.Apply({Deployment("chat", 2), Service("chat"), ConfigMap("chat-config", "a")}, set, options);
  REQUIRE(second.ok());
  CHECK(second->errors.empty());
  CHECK(Lines(*second) == std::vector<std::string>{"configmap/chat-config unchanged", "service/chat unchanged",
                                                   "deployment.apps/chat configured"});

  options.dry_run = true;
  auto preview = applier.Apply({Deployment("chat", 2), ConfigMap("chat-config", "b")}, set, options);
  REQUIRE(preview.ok());
  CHECK(preview->errors.empty());
  CHECK(Lines(*preview, true) == std::vector<std::string>{"configmap/chat-config configured (server dry run)",
                                                          "deployment.apps/chat unchanged (server dry run)",
                                                          "service/chat pruned (server dry run)"});
  CHECK(TestCluster::Get().Kubectl("admin", {"-n", ns.name(), "get", "service", "chat"}).exit_code == 0);

  options.dry_run = false;
  auto third = applier.Apply({Deployment("chat", 2), ConfigMap("chat-config", "a")}, set, options);
  REQUIRE(third.ok());
  CHECK(third->errors.empty());
  CHECK(Lines(*third) == std::vector<std::string>{"configmap/chat-config unchanged", "deployment.apps/chat unchanged",
                                                  "service/chat pruned"});
  CommandOutput gone = TestCluster::Get().Kubectl("admin", {"-n", ns.name(), "get", "service", "chat"});
  CHECK(gone.exit_code == 1);
  CHECK(gone.err.find("NotFound") != std::string::npos);
  secret =
      json::parse(TestCluster::Get().Kubectl("admin", {"-n", ns.name(), "get", "secret", "chat", "-o", "json"}).out);
  CHECK(secret["metadata"]["annotations"][kube::kApplySetGroupKindsAnnotation] == "ConfigMap,Deployment.apps");

  // An unrelated object in the namespace survives the set's deletion.
  REQUIRE(TestCluster::Get().Kubectl("admin", {"-n", ns.name(), "create", "configmap", "bystander"}).exit_code == 0);
  auto deleted = applier.Delete(set, options);
  REQUIRE(deleted.ok());
  for (const Error& error : deleted->errors) FAIL(error.message());
  CHECK(Lines(*deleted) == std::vector<std::string>{"deployment.apps/chat pruned", "configmap/chat-config pruned"});
  CommandOutput left =
      TestCluster::Get().Kubectl("admin", {"-n", ns.name(), "get", "deployments,secrets,configmaps", "-o", "name"});
  CHECK(left.out.find("deployment.apps/chat") == std::string::npos);
  CHECK(left.out.find("secret/chat") == std::string::npos);
  CHECK(left.out.find("configmap/chat-config") == std::string::npos);
  CHECK(left.out.find("configmap/bystander") != std::string::npos);
}

/// Forwards to the real client and counts every request it makes.
class RequestCounter final : public kube::RestClient {
 public:
  explicit RequestCounter(kube::RestClient& inner) : inner_(inner) {}
  int requests = 0;
  Result<kube::HttpResponse> Do(kube::HttpRequest request) override {
    return ++requests, inner_.Do(std::move(request));
  }
  Result<kube::HttpResponse> Stream(kube::HttpRequest request, const kube::ChunkSink& sink) override {
    return ++requests, inner_.Stream(std::move(request), sink);
  }
  Result<json> Get(const kube::ResourceRef& ref) override { return ++requests, inner_.Get(ref); }
  Result<json> List(const kube::ResourceRef& ref, const kube::ListOptions& options) override {
    return ++requests, inner_.List(ref, options);  // one page here: a set has few members
  }
  Result<json> Create(const kube::ResourceRef& ref, const json& object, bool dry_run) override {
    return ++requests, inner_.Create(ref, object, dry_run);
  }
  Result<kube::AppliedObject> ApplyObject(const kube::ResourceRef& ref, const json& object,
                                          const kube::ApplyOptions& options) override {
    return ++requests, inner_.ApplyObject(ref, object, options);
  }
  Result<json> MergePatch(const kube::ResourceRef& ref, const json& patch, bool dry_run) override {
    return ++requests, inner_.MergePatch(ref, patch, dry_run);
  }
  Result<json> JsonPatch(const kube::ResourceRef& ref, const json& operations,
                         const std::string& field_manager) override {
    return ++requests, inner_.JsonPatch(ref, operations, field_manager);
  }
  Result<json> Delete(const kube::ResourceRef& ref, const kube::DeleteOptions& options) override {
    return ++requests, inner_.Delete(ref, options);
  }

 private:
  kube::RestClient& inner_;
};

TEST_CASE("ApplySet: requests per apply, and what the member record tells from the server's answers") {
  ScopedNamespace ns("kube-apply-record");
  Cluster cluster;
  RequestCounter counter(*cluster.client);
  kube::Discovery discovery(counter, &cluster.files, cluster.clock, cluster.DiscoveryOpts());
  kube::RestMapper mapper(discovery);
  REQUIRE(discovery.Get().ok());  // discovery is cached on disk between runs: not counted below
  kube::Waiter waiter(counter, cluster.clock);
  kube::Applier applier(counter, mapper, waiter);
  kube::ApplierOptions options;
  options.default_namespace = ns.name();
  options.tooling = kube::ApplySetTooling(GetBuildInfo().version);
  const kube::ApplySetRef set{"chat", ns.name()};
  const std::vector<json> objects = {Deployment("chat", 1), Service("chat"), ConfigMap("chat-config", "a")};
  auto apply = [&](const std::vector<json>& set_objects, int expected_requests) {
    counter.requests = 0;
    auto outcome = applier.Apply(set_objects, set, options);
    REQUIRE(outcome.ok());
    for (const Error& error : outcome->errors) FAIL(error.message());
    CHECK(counter.requests == expected_requests);
    return Lines(*outcome);
  };

  // Creating: the parent read and written, one apply per object.
  CHECK(apply(objects, 3 + 2) == std::vector<std::string>{"configmap/chat-config created", "service/chat created",
                                                          "deployment.apps/chat created"});
  // Unchanged, while the controllers write the Deployment's status: the parent read and the applies.
  CHECK(apply(objects, 3 + 1) == std::vector<std::string>{"configmap/chat-config unchanged", "service/chat unchanged",
                                                          "deployment.apps/chat unchanged"});
  // Another manager's field: left alone, so still unchanged.
  REQUIRE(
      TestCluster::Get().Kubectl("admin", {"-n", ns.name(), "annotate", "configmap", "chat-config", "x=y"}).exit_code ==
      0);
  CHECK(apply(objects, 3 + 1)[0] == "configmap/chat-config unchanged");
  // A field of ours removed behind our back, later than the second after
  // creation: the apply puts it back, and the record is written anew.
  ::sleep(2);
  REQUIRE(TestCluster::Get()
              .Kubectl("admin", {"-n", ns.name(), "patch", "configmap", "chat-config", "--type=json", "-p",
                                 R"([{"op":"remove","path":"/data/k"}])"})
              .exit_code == 0);
  CHECK(apply(objects, 3 + 2)[0] == "configmap/chat-config configured");
  CHECK(apply(objects, 3 + 1)[0] == "configmap/chat-config unchanged");
  // A changed manifest at once: configured, without waiting for the clock.
  std::vector<json> changed = objects;
  changed[2] = ConfigMap("chat-config", "b");
  CHECK(apply(changed, 3 + 2)[0] == "configmap/chat-config configured");
  // Dropping a member lists its kind alone, deletes it, and rewrites the parent.
  CHECK(apply({changed[0], changed[2]}, 2 + 1 + 1 + 1 + 1) ==
        std::vector<std::string>{"configmap/chat-config unchanged", "deployment.apps/chat unchanged",
                                 "service/chat pruned"});
}

TEST_CASE("ApplySet: a parent that kubectl manages is refused") {
  ScopedNamespace ns("kube-apply-foreign");
  Cluster cluster;
  const std::string id = kube::ApplySetId("chat", ns.name(), "Secret", "");
  json parent = {{"apiVersion", "v1"},
                 {"kind", "Secret"},
                 {"metadata",
                  {{"name", "chat"},
                   {"labels", {{kube::kApplySetIdLabel, id}}},
                   {"annotations", {{kube::kApplySetToolingAnnotation, "kubectl/v1.35.4"}}}}}};
  REQUIRE(TestCluster::Get().Kubectl("admin", {"-n", ns.name(), "create", "-f", "-"}, parent.dump()).exit_code == 0);
  kube::Discovery discovery(*cluster.client, nullptr, cluster.clock, cluster.DiscoveryOpts());
  kube::RestMapper mapper(discovery);
  kube::Waiter waiter(*cluster.client, cluster.clock);
  kube::Applier applier(*cluster.client, mapper, waiter);
  kube::ApplierOptions options;
  options.default_namespace = ns.name();
  options.tooling = kube::ApplySetTooling(GetBuildInfo().version);
  auto outcome = applier.Apply({ConfigMap("x", "1")}, {"chat", ns.name()}, options);
  REQUIRE_FALSE(outcome.ok());
  CHECK(outcome.error().message().find("managed by tooling \"kubectl/v1.35.4\"") != std::string::npos);
  CHECK(TestCluster::Get().Kubectl("admin", {"-n", ns.name(), "get", "configmap", "x"}).exit_code == 1);
}

TEST_CASE("a CRD applied mid-run is waited on, discovery is refreshed, and its resource applies") {
  ScopedNamespace ns("kube-apply-crd");
  Cluster cluster;
  const std::string group = "kubeapply" + std::to_string(::getpid()) + ".example.com";
  {
    // An earlier run cached discovery before the CRD existed.
    kube::Discovery earlier(*cluster.client, &cluster.files, cluster.clock, cluster.DiscoveryOpts());
    REQUIRE(earlier.Get().ok());
    CHECK(earlier.served_aggregated());
  }
  kube::Discovery discovery(*cluster.client, &cluster.files, cluster.clock, cluster.DiscoveryOpts());
  kube::RestMapper mapper(discovery);
  CHECK_FALSE(*mapper.HasGroupKind({group, "Widget"}));
  kube::Waiter waiter(*cluster.client, cluster.clock);
  kube::Applier applier(*cluster.client, mapper, waiter);
  json crd = {
      {"apiVersion", "apiextensions.k8s.io/v1"},
      {"kind", "CustomResourceDefinition"},
      {"metadata", {{"name", "widgets." + group}}},
      {"spec",
       {{"group", group},
        {"scope", "Namespaced"},
        {"names", {{"plural", "widgets"}, {"singular", "widget"}, {"kind", "Widget"}, {"listKind", "WidgetList"}}},
        {"versions",
         {{{"name", "v1"},
           {"served", true},
           {"storage", true},
           {"schema",
            {{"openAPIV3Schema",
              {{"type", "object"},
               {"properties",
                {{"spec", {{"type", "object"}, {"properties", {{"size", {{"type", "integer"}}}}}}}}}}}}}}}}}}};
  json widget = {
      {"apiVersion", group + "/v1"}, {"kind", "Widget"}, {"metadata", {{"name", "w"}}}, {"spec", {{"size", 3}}}};
  kube::ApplierOptions options;
  options.default_namespace = ns.name();
  options.tooling = kube::ApplySetTooling(GetBuildInfo().version);
  auto outcome = applier.Apply({widget, crd}, {"widgets", ns.name()}, options);
  REQUIRE(outcome.ok());
  for (const Error& error : outcome->errors) FAIL(error.message());
  CHECK(Lines(*outcome) ==
        std::vector<std::string>{"customresourcedefinition.apiextensions.k8s.io/widgets." + group + " created",
                                 "widget." + group + "/w created"});
  CommandOutput got = TestCluster::Get().Kubectl(
      "admin", {"-n", ns.name(), "get", "widgets." + group, "w", "-o", "jsonpath={.spec.size}"});
  CHECK(got.out == "3");
  // The refreshed cache now knows the kind for the next process.
  kube::Discovery later(*cluster.client, &cluster.files, cluster.clock, cluster.DiscoveryOpts());
  kube::RestMapper later_mapper(later);
  CHECK(*later_mapper.HasGroupKind({group, "Widget"}));
  CHECK_FALSE(later.fresh());
  TestCluster::Get().Kubectl("admin", {"delete", "crd", "widgets." + group, "--wait=false"});
}

}  // namespace
}  // namespace llm::testing

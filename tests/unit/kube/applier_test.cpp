#include "kube/applier.h"

#include <algorithm>

#include <doctest/doctest.h>

#include "fakes/discovery_fixtures.h"
#include "fakes/fake_clock.h"
#include "fakes/fake_rest_client.h"

namespace llm::kube {
namespace {
using nlohmann::json;
using testing::FakeClock;
using testing::FakeRestClient;

const std::string kSetId = ApplySetId("chat", "ml", "Secret", "");
const ResourceRef kParent{"", "v1", "secrets", "ml", "chat", ""};

json ConfigMap(const std::string& name, const std::string& value = "1") {
  return {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", name}}}, {"data", {{"k", value}}}};
}
json Service(const std::string& name, const std::string& ns = "") {
  json object = {{"apiVersion", "v1"},
                 {"kind", "Service"},
                 {"metadata", {{"name", name}}},
                 {"spec", {{"ports", {{{"port", 8000}}}}}}};
  if (!ns.empty()) object["metadata"]["namespace"] = ns;
  return object;
}
json Claim(const std::string& name) {
  return {{"apiVersion", "v1"},
          {"kind", "PersistentVolumeClaim"},
          {"metadata", {{"name", name}}},
          {"spec", {{"accessModes", {"ReadWriteOnce"}}, {"resources", {{"requests", {{"storage", "100Gi"}}}}}}}};
}
json Deployment(const std::string& name, int replicas = 1) {
  return {{"apiVersion", "apps/v1"},
          {"kind", "Deployment"},
          {"metadata", {{"name", name}}},
          {"spec", {{"replicas", replicas}}}};
}

struct Fixture {
  FakeRestClient client;
  FakeClock clock;
  Discovery discovery{client, nullptr, clock, DiscoveryOptions{}};
  RestMapper mapper{discovery};
  Waiter waiter{client, clock};
  Applier applier{client, mapper, waiter};
  ApplierOptions options;

  Fixture() {
    testing::ServeAggregatedDiscovery(client);
    options.default_namespace = "ml";
    options.tooling = "kubectl-llm/v0.1.0";
  }
  Result<ApplyOutcome> Apply(std::vector<json> objects) {
    return applier.Apply(std::move(objects), {"chat", "ml"}, options);
  }
  std::vector<std::string> Lines(const ApplyOutcome& outcome) const {
    std::vector<std::string> lines;
    for (const ObjectResult& result : outcome.results) lines.push_back(FormatResult(result, options.dry_run));
    return lines;
  }
  std::string Annotation(const char* key) {
    auto parent = client.Find(kParent);
    REQUIRE(parent.has_value());
    return (*parent)["metadata"]["annotations"].value(key, "<absent>");
  }
  std::vector<std::string> CallsSince(size_t first) const {
    return {client.calls().begin() + static_cast<std::ptrdiff_t>(first), client.calls().end()};
  }
};

TEST_CASE("a first apply creates the parent, then the members in install order, labelled") {
  Fixture f;
  auto outcome = f.Apply({Deployment("chat"), Service("chat"), ConfigMap("chat-config")});
  REQUIRE(outcome.ok());
  CHECK(outcome->errors.empty());
  CHECK(outcome->pruned);
  CHECK(f.Lines(*outcome) == std::vector<std::string>{"configmap/chat-config created", "service/chat created",
                                                      "deployment.apps/chat created"});
  auto parent = f.client.Find(kParent);
  REQUIRE(parent.has_value());
  CHECK((*parent)["metadata"]["labels"][kApplySetIdLabel] == kSetId);
  CHECK(f.Annotation(kApplySetToolingAnnotation) == "kubectl-llm/v0.1.0");
  CHECK(f.Annotation(kApplySetGroupKindsAnnotation) == "ConfigMap,Deployment.apps,Service");
  CHECK(f.Annotation(kApplySetNamespacesAnnotation) == "<absent>");
  auto deployment = f.client.Find({"apps", "v1", "deployments", "ml", "chat", ""});
  REQUIRE(deployment.has_value());
  CHECK((*deployment)["metadata"]["labels"][kApplySetPartOfLabel] == kSetId);
  CHECK((*deployment)["metadata"]["namespace"] == "ml");
  CHECK_FALSE(f.client.Find(kParent)->at("metadata").at("labels").contains(kApplySetPartOfLabel));
  // Nothing to read (there was no parent), nothing to prune (it recorded nothing),
  // and the parent written first already says all: one request per object plus two.
  CHECK(f.client.calls() == std::vector<std::string>{"GET secrets ml/chat", "APPLY secrets ml/chat",
                                                     "APPLY configmaps ml/chat-config", "APPLY services ml/chat",
                                                     "APPLY deployments.apps ml/chat"});
  const json members = json::parse(f.Annotation(kApplySetMembersAnnotation));
  CHECK(members.size() == 3);
  CHECK(members["Deployment.apps/ml/chat"]["applied"] == "");  // still its creation
  CHECK(members["Deployment.apps/ml/chat"]["digest"].get<std::string>().size() == 22);
}

TEST_CASE("re-applying: unchanged needs the parent read and the applies, a change one parent write more") {
  Fixture f;
  REQUIRE(f.Apply({Deployment("chat"), Service("chat")}).ok());
  size_t before = f.client.calls().size();
  auto same = f.Apply({Deployment("chat"), Service("chat")});
  REQUIRE(same.ok());
  CHECK(f.Lines(*same) == std::vector<std::string>{"service/chat unchanged", "deployment.apps/chat unchanged"});
  CHECK(f.CallsSince(before) ==
        std::vector<std::string>{"GET secrets ml/chat", "APPLY services ml/chat", "APPLY deployments.apps ml/chat"});

  SUBCASE("a changed manifest, in the same second as the creation") {
    before = f.client.calls().size();
    auto again = f.Apply({Deployment("chat", 3), Service("chat")});
    REQUIRE(again.ok());
    CHECK(f.Lines(*again) == std::vector<std::string>{"service/chat unchanged", "deployment.apps/chat configured"});
    CHECK(f.CallsSince(before) == std::vector<std::string>{"GET secrets ml/chat", "APPLY services ml/chat",
                                                           "APPLY deployments.apps ml/chat", "APPLY secrets ml/chat"});
    before = f.client.calls().size();
    auto settled = f.Apply({Deployment("chat", 3), Service("chat")});
    REQUIRE(settled.ok());
    CHECK(f.Lines(*settled) == std::vector<std::string>{"service/chat unchanged", "deployment.apps/chat unchanged"});
    CHECK(f.CallsSince(before).size() == 3);
  }
  SUBCASE("someone else's write that the apply leaves alone (status, another manager's field)") {
    json live = *f.client.Find({"apps", "v1", "deployments", "ml", "chat", ""});
    live["status"] = {{"readyReplicas", 1}};
    f.client.Put({"apps", "v1", "deployments", "ml", "chat", ""}, live);
    f.client.now = "2026-11-28T12:05:00Z";
    auto again = f.Apply({Deployment("chat"), Service("chat")});
    REQUIRE(again.ok());
    CHECK(f.Lines(*again) == std::vector<std::string>{"service/chat unchanged", "deployment.apps/chat unchanged"});
  }
  SUBCASE("drift the apply repairs: the same manifest, but the server changed the object") {
    json live = *f.client.Find({"apps", "v1", "deployments", "ml", "chat", ""});
    live["spec"]["replicas"] = 7;
    f.client.Put({"apps", "v1", "deployments", "ml", "chat", ""}, live);
    f.client.now = "2026-11-28T12:05:00Z";
    before = f.client.calls().size();
    auto repaired = f.Apply({Deployment("chat"), Service("chat")});
    REQUIRE(repaired.ok());
    CHECK(f.Lines(*repaired) == std::vector<std::string>{"service/chat unchanged", "deployment.apps/chat configured"});
    CHECK(f.CallsSince(before).back() == "APPLY secrets ml/chat");  // records the new time
    CHECK(json::parse(f.Annotation(kApplySetMembersAnnotation))["Deployment.apps/ml/chat"]["applied"] ==
          "2026-11-28T12:05:00Z");
    f.client.now = "2026-11-28T12:05:30Z";
    auto settled = f.Apply({Deployment("chat"), Service("chat")});
    REQUIRE(settled.ok());
    CHECK(f.Lines(*settled) == std::vector<std::string>{"service/chat unchanged", "deployment.apps/chat unchanged"});
  }
  SUBCASE("an object that existed outside the set is configured, and then recorded") {
    f.client.Put({"", "v1", "configmaps", "ml", "chat-config", ""}, ConfigMap("chat-config"));
    auto adopted = f.Apply({Deployment("chat"), Service("chat"), ConfigMap("chat-config")});
    REQUIRE(adopted.ok());
    CHECK(f.Lines(*adopted) == std::vector<std::string>{"configmap/chat-config configured", "service/chat unchanged",
                                                        "deployment.apps/chat unchanged"});
    auto again = f.Apply({Deployment("chat"), Service("chat"), ConfigMap("chat-config")});
    REQUIRE(again.ok());
    CHECK(f.Lines(*again)[0] == "configmap/chat-config unchanged");
  }
}

TEST_CASE("a parent an older kubectl-llm wrote (no member records): members are read first, every kind listed") {
  Fixture f;
  REQUIRE(f.Apply({Deployment("chat"), Service("chat"), ConfigMap("chat-config")}).ok());
  json parent = *f.client.Find(kParent);
  parent["metadata"]["annotations"].erase(kApplySetMembersAnnotation);
  f.client.Put(kParent, parent);
  size_t before = f.client.calls().size();
  auto outcome = f.Apply({Deployment("chat", 2), Service("chat")});
  REQUIRE(outcome.ok());
  CHECK(f.Lines(*outcome) == std::vector<std::string>{"service/chat unchanged", "deployment.apps/chat configured",
                                                      "configmap/chat-config pruned"});
  auto calls = f.CallsSince(before);
  CHECK(std::find(calls.begin(), calls.end(), "GET services ml/chat") != calls.end());
  for (const char* list : {"LIST configmaps ml", "LIST services ml", "LIST deployments.apps ml"}) {
    CHECK(std::find(calls.begin(), calls.end(), list) != calls.end());
  }
  CHECK(json::parse(f.Annotation(kApplySetMembersAnnotation)).size() == 2);  // recorded from now on
  before = f.client.calls().size();
  auto again = f.Apply({Deployment("chat", 2), Service("chat")});
  REQUIRE(again.ok());
  CHECK(f.Lines(*again) == std::vector<std::string>{"service/chat unchanged", "deployment.apps/chat unchanged"});
  CHECK(f.CallsSince(before).size() == 3);
}

TEST_CASE("a parent the caller just read is not read again, and the outcome names the parent's uid") {
  Fixture f;
  SUBCASE("none existed: the apply creates it and says its uid") {
    f.options.parent_read = ParentRead{};
    auto created = f.Apply({Deployment("chat")});
    REQUIRE(created.ok());
    CHECK(f.client.calls() == std::vector<std::string>{"APPLY secrets ml/chat", "APPLY deployments.apps ml/chat"});
    CHECK_FALSE(created->parent_uid.empty());
    CHECK(created->parent_uid == f.client.Find(kParent)->at("metadata").at("uid").get<std::string>());
  }
  SUBCASE("it existed: its records tell unchanged from configured, and its uid stands") {
    REQUIRE(f.Apply({Deployment("chat")}).ok());
    const json parent = *f.client.Find(kParent);
    f.options.parent_read = ParentRead{parent};
    const size_t before = f.client.calls().size();
    auto same = f.Apply({Deployment("chat")});
    REQUIRE(same.ok());
    CHECK(f.Lines(*same) == std::vector<std::string>{"deployment.apps/chat unchanged"});
    CHECK(f.CallsSince(before) == std::vector<std::string>{"APPLY deployments.apps ml/chat"});
    CHECK(same->parent_uid == parent["metadata"]["uid"].get<std::string>());
  }
  SUBCASE("one owned by other tooling is still refused before anything is applied") {
    f.options.parent_read = ParentRead{json{{"apiVersion", "v1"},
                                            {"kind", "Secret"},
                                            {"metadata",
                                             {{"labels", {{kApplySetIdLabel, kSetId}}},
                                              {"annotations", {{kApplySetToolingAnnotation, "kubectl/v1.35.0"}}}}}}};
    auto refused = f.Apply({Deployment("chat")});
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().kind() == ErrorKind::kConflict);
    CHECK(f.client.calls().empty());
  }
}

TEST_CASE("an object dropped from the set is pruned, nothing else is") {
  Fixture f;
  REQUIRE(f.Apply({Deployment("chat"), Service("chat"), ConfigMap("chat-config")}).ok());
  // Neighbours: an unlabelled service and a member of another set, same namespace.
  f.client.Put({"", "v1", "services", "ml", "hand-made", ""}, Service("hand-made"));
  json foreign = Service("other");
  foreign["metadata"]["labels"] = {{kApplySetPartOfLabel, ApplySetId("other", "ml", "Secret", "")}};
  f.client.Put({"", "v1", "services", "ml", "other", ""}, foreign);

  const size_t before = f.client.calls().size();
  auto outcome = f.Apply({Deployment("chat"), ConfigMap("chat-config")});
  REQUIRE(outcome.ok());
  CHECK(outcome->errors.empty());
  CHECK(f.Lines(*outcome) == std::vector<std::string>{"configmap/chat-config unchanged",
                                                      "deployment.apps/chat unchanged", "service/chat pruned"});
  CHECK_FALSE(f.client.Find({"", "v1", "services", "ml", "chat", ""}).has_value());
  CHECK(f.client.Find({"", "v1", "services", "ml", "hand-made", ""}).has_value());
  CHECK(f.client.Find({"", "v1", "services", "ml", "other", ""}).has_value());
  CHECK(f.Annotation(kApplySetGroupKindsAnnotation) == "ConfigMap,Deployment.apps");
  // The parent already records everything applied (nothing to add first), and
  // loses Service only after the prune, which lists that kind alone.
  auto calls = f.CallsSince(before);
  CHECK(calls.front() == "GET secrets ml/chat");
  CHECK(calls[1] == "APPLY configmaps ml/chat-config");
  CHECK(std::find(calls.begin(), calls.end(), "LIST services ml") != calls.end());
  CHECK(std::count_if(calls.begin(), calls.end(), [](const std::string& call) { return call.rfind("LIST", 0) == 0; }) ==
        1);
  CHECK(calls.back() == "APPLY secrets ml/chat");
  CHECK_FALSE(json::parse(f.Annotation(kApplySetMembersAnnotation)).contains("Service/ml/chat"));
}

TEST_CASE("a parent managed by another tool is refused before anything is applied") {
  Fixture f;
  f.client.Put(kParent, {{"apiVersion", "v1"},
                         {"kind", "Secret"},
                         {"metadata",
                          {{"labels", {{kApplySetIdLabel, kSetId}}},
                           {"annotations", {{kApplySetToolingAnnotation, "kubectl/v1.35.0"}}}}}});
  auto outcome = f.Apply({Deployment("chat")});
  REQUIRE_FALSE(outcome.ok());
  CHECK(outcome.error().kind() == ErrorKind::kConflict);
  CHECK(outcome.error().message().find(R"(managed by tooling "kubectl/v1.35.0")") != std::string::npos);
  CHECK(f.client.calls() == std::vector<std::string>{"GET secrets ml/chat"});
}

TEST_CASE("a failed member stops pruning, the parent keeps the superset") {
  Fixture f;
  REQUIRE(f.Apply({Deployment("chat"), Service("chat")}).ok());
  f.client.FailNext("APPLY", FakeRestClient::ErrorFromStatus(422, "Invalid", "spec.replicas: Invalid value"),
                    "chat-config");
  auto outcome = f.Apply({Deployment("chat"), ConfigMap("chat-config")});
  REQUIRE(outcome.ok());
  REQUIRE(outcome->errors.size() == 1);
  CHECK(outcome->errors[0].message().find(R"(applying ConfigMap "chat-config")") == 0);
  CHECK_FALSE(outcome->pruned);
  CHECK(f.client.Find({"", "v1", "services", "ml", "chat", ""}).has_value());
  CHECK(f.Annotation(kApplySetGroupKindsAnnotation) == "ConfigMap,Deployment.apps,Service");
  CHECK(f.Lines(*outcome) == std::vector<std::string>{"deployment.apps/chat unchanged"});
}

TEST_CASE("the members of an install stage are applied together, stage after stage, none held back by another") {
  Fixture f;
  auto outcome = f.Apply({Deployment("chat"), Service("chat"), Claim("cache"), ConfigMap("chat-config")});
  REQUIRE(outcome.ok());
  CHECK(f.client.apply_batches() ==
        std::vector<std::vector<std::string>>{
            {"APPLY configmaps ml/chat-config", "APPLY persistentvolumeclaims ml/cache", "APPLY services ml/chat"},
            {"APPLY deployments.apps ml/chat"}});
  CHECK(f.Lines(*outcome) == std::vector<std::string>{"configmap/chat-config created",
                                                      "persistentvolumeclaim/cache created", "service/chat created",
                                                      "deployment.apps/chat created"});

  // One member of a stage refused: the others of its stage and the next stage are applied, in order.
  f.client.FailNext("APPLY", FakeRestClient::ErrorFromStatus(422, "Invalid", "data: Invalid value"), "chat-config");
  auto again = f.Apply({Deployment("chat", 2), Service("chat"), Claim("cache"), ConfigMap("chat-config", "2")});
  REQUIRE(again.ok());
  REQUIRE(again->errors.size() == 1);
  CHECK(again->errors[0].message().find(R"(applying ConfigMap "chat-config")") == 0);
  CHECK(f.Lines(*again) == std::vector<std::string>{"persistentvolumeclaim/cache unchanged", "service/chat unchanged",
                                                    "deployment.apps/chat configured"});
  CHECK_FALSE(again->pruned);
}

TEST_CASE("server dry run: every request is a dry run and nothing changes") {
  Fixture f;
  REQUIRE(f.Apply({Deployment("chat"), Service("chat")}).ok());
  f.options.dry_run = true;
  const size_t before = f.client.calls().size();
  const std::string parent_version = f.client.Find(kParent)->at("metadata").at("resourceVersion");
  auto outcome = f.Apply({Deployment("chat", 5), ConfigMap("chat-config")});
  REQUIRE(outcome.ok());
  CHECK(f.Lines(*outcome) == std::vector<std::string>{"configmap/chat-config created (server dry run)",
                                                      "deployment.apps/chat configured (server dry run)",
                                                      "service/chat pruned (server dry run)"});
  CHECK(f.client.Find({"", "v1", "services", "ml", "chat", ""}).has_value());
  CHECK_FALSE(f.client.Find({"", "v1", "configmaps", "ml", "chat-config", ""}).has_value());
  CHECK(f.client.Find({"apps", "v1", "deployments", "ml", "chat", ""})->at("spec").at("replicas") == 1);
  CHECK(f.client.Find(kParent)->at("metadata").at("resourceVersion") == parent_version);
  for (const std::string& call : f.CallsSince(before)) {
    CAPTURE(call);
    CHECK((call.rfind("GET", 0) == 0 || call.rfind("LIST", 0) == 0 || call.find("(dry-run)") != std::string::npos));
  }
  f.options.dry_run = true;
  auto unchanged = f.Apply({Deployment("chat"), Service("chat")});
  REQUIRE(unchanged.ok());
  CHECK(f.Lines(*unchanged) == std::vector<std::string>{"service/chat unchanged (server dry run)",
                                                        "deployment.apps/chat unchanged (server dry run)"});
  // The reads the verbs need go together, a stage's at once, each taken by its read.
  const size_t batches = f.client.prefetches().size();
  REQUIRE(f.Apply({Service("chat"), ConfigMap("chat-config")}).ok());
  REQUIRE(f.client.prefetches().size() == batches + 1);
  CHECK(f.client.prefetches().back() ==
        std::vector<std::string>{"GET configmaps ml/chat-config", "GET services ml/chat"});
  CHECK(f.client.UnusedPrefetches().empty());
}

TEST_CASE(
    "a CRD in the set is applied first, waited on until Established and discoverable, and its resources then map") {
  Fixture f;
  bool installed = false;
  int lists_since_installed = 0;
  nlohmann::json apis = nlohmann::json::parse(testing::ReadTestdata("discovery/aggregated_apis.json"));
  nlohmann::json with_widgets = apis;
  with_widgets["items"].push_back(nlohmann::json::parse(R"({"metadata":{"name":"example.com"},"versions":[
      {"version":"v1","freshness":"Current","resources":[{"resource":"widgets","scope":"Namespaced",
       "responseKind":{"group":"example.com","version":"v1","kind":"Widget"},"verbs":["get","list","patch"]}]}]})"));
  f.client.routes.OnHandler("GET", "/apis", [&](const HttpRequest&) -> Result<HttpResponse> {
    // Like the real server, discovery lists the new kind a moment after Established.
    const bool discoverable = installed && ++lists_since_installed > 2;
    return testing::JsonResponse((discoverable ? with_widgets : apis).dump(), testing::kAggregatedContentType);
  });
  f.client.after_apply = [&](const ResourceRef& ref, json& stored) {
    if (ref.resource != "customresourcedefinitions") return;
    installed = true;  // the API server starts serving the kind once the CRD is Established
    stored["status"]["conditions"] = {{{"type", "Established"}, {"status", "True"}}};
  };
  json widget = {{"apiVersion", "example.com/v1"}, {"kind", "Widget"}, {"metadata", {{"name", "w"}}}};
  json crd = {{"apiVersion", "apiextensions.k8s.io/v1"},
              {"kind", "CustomResourceDefinition"},
              {"metadata", {{"name", "widgets.example.com"}}},
              {"spec",
               {{"group", "example.com"},
                {"names", {{"kind", "Widget"}, {"plural", "widgets"}}},
                {"versions", {{{"name", "v1"}, {"served", true}, {"storage", true}}}}}}};
  auto outcome = f.Apply({widget, crd});
  REQUIRE(outcome.ok());
  CHECK(outcome->errors.empty());
  CHECK(f.Lines(*outcome) ==
        std::vector<std::string>{"customresourcedefinition.apiextensions.k8s.io/widgets.example.com created",
                                 "widget.example.com/w created"});
  CHECK(f.Annotation(kApplySetGroupKindsAnnotation) ==
        "CustomResourceDefinition.apiextensions.k8s.io,Widget.example.com");
  auto stored_crd =
      f.client.Find({"apiextensions.k8s.io", "v1", "customresourcedefinitions", "", "widgets.example.com", ""});
  REQUIRE(stored_crd.has_value());
  CHECK_FALSE(stored_crd->at("metadata").contains("namespace"));
  const json members = json::parse(f.Annotation(kApplySetMembersAnnotation));
  CHECK(members.contains("CustomResourceDefinition.apiextensions.k8s.io//widgets.example.com"));
  CHECK(members.contains("Widget.example.com/ml/w"));
}

TEST_CASE("a CRD that is Established but never discoverable fails the set with a timeout, not a mapping error") {
  Fixture f;
  f.options.crd_established_timeout = std::chrono::seconds(5);
  f.client.after_apply = [&](const ResourceRef& ref, json& stored) {
    if (ref.resource == "customresourcedefinitions") {
      stored["status"]["conditions"] = {{{"type", "Established"}, {"status", "True"}}};
    }
  };
  json crd = {{"apiVersion", "apiextensions.k8s.io/v1"},
              {"kind", "CustomResourceDefinition"},
              {"metadata", {{"name", "widgets.example.com"}}},
              {"spec",
               {{"group", "example.com"},
                {"names", {{"kind", "Widget"}, {"plural", "widgets"}}},
                {"versions", {{{"name", "v1"}, {"served", true}, {"storage", true}}}}}}};
  const auto start = f.clock.Now();
  auto outcome = f.Apply({crd});
  REQUIRE(outcome.ok());
  REQUIRE(outcome->errors.size() == 1);
  CHECK(outcome->errors[0].kind() == ErrorKind::kTimeout);
  CHECK(outcome->errors[0].message().find("timed out waiting for discovery to serve Widget in example.com/v1") !=
        std::string::npos);
  CHECK(f.clock.Now() - start >= std::chrono::seconds(5));
}

TEST_CASE("members in other namespaces are recorded and pruned there too") {
  Fixture f;
  REQUIRE(f.Apply({Service("chat"), Service("metrics", "monitoring")}).ok());
  CHECK(f.Annotation(kApplySetNamespacesAnnotation) == "monitoring");
  auto outcome = f.Apply({Service("chat")});
  REQUIRE(outcome.ok());
  CHECK(f.Lines(*outcome) == std::vector<std::string>{"service/chat unchanged", "service/metrics pruned"});
  CHECK_FALSE(f.client.Find({"", "v1", "services", "monitoring", "metrics", ""}).has_value());
  CHECK(f.Annotation(kApplySetNamespacesAnnotation) == "<absent>");
}

TEST_CASE("the parent's own namespace, when part of the set, is applied before the parent") {
  Fixture f;
  json ns = {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", "ml"}}}};
  auto outcome = f.Apply({Service("chat"), ns});
  REQUIRE(outcome.ok());
  CHECK(f.Lines(*outcome) == std::vector<std::string>{"namespace/ml created", "service/chat created"});
  // The parent is read first (a foreign parent stops everything), written after the namespace.
  CHECK(std::vector<std::string>(f.client.calls().begin(), f.client.calls().begin() + 3) ==
        std::vector<std::string>{"GET secrets ml/chat", "APPLY namespaces ml", "APPLY secrets ml/chat"});
  CHECK(f.Annotation(kApplySetGroupKindsAnnotation) == "Namespace,Service");
}

TEST_CASE("deleting a set removes its members, workloads first, then the parent") {
  Fixture f;
  json ns = {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", "ml"}}}};
  REQUIRE(f.Apply({ns, Deployment("chat"), Service("chat"), ConfigMap("chat-config")}).ok());
  f.client.Put({"", "v1", "services", "ml", "hand-made", ""}, Service("hand-made"));
  SUBCASE("dry run deletes nothing") {
    f.options.dry_run = true;
    auto preview = f.applier.Delete({"chat", "ml"}, f.options);
    REQUIRE(preview.ok());
    CHECK(preview->results.size() == 4);
    CHECK(f.client.Find(kParent).has_value());
    CHECK(f.client.Find({"apps", "v1", "deployments", "ml", "chat", ""}).has_value());
  }
  SUBCASE("for real") {
    auto outcome = f.applier.Delete({"chat", "ml"}, f.options);
    REQUIRE(outcome.ok());
    CHECK(outcome->errors.empty());
    CHECK(f.Lines(*outcome) == std::vector<std::string>{"deployment.apps/chat pruned", "service/chat pruned",
                                                        "configmap/chat-config pruned", "namespace/ml pruned"});
    CHECK_FALSE(f.client.Find(kParent).has_value());
    CHECK(f.client.Find({"", "v1", "services", "ml", "hand-made", ""}).has_value());
    auto again = f.applier.Delete({"chat", "ml"}, f.options);
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().kind() == ErrorKind::kNotFound);
    CHECK(again.error().message() == R"(ApplySet "chat" not found in namespace "ml")");
  }
  SUBCASE("a member that cannot be deleted keeps the parent") {
    f.client.FailNext("DELETE", FakeRestClient::ErrorFromStatus(403, "Forbidden", "services \"chat\" is forbidden"),
                      "chat");
    auto outcome = f.applier.Delete({"chat", "ml"}, f.options);
    REQUIRE(outcome.ok());
    CHECK(outcome->errors.size() == 1);
    CHECK(f.client.Find(kParent).has_value());
  }
}

TEST_CASE("invalid input stops before any request") {
  Fixture f;
  auto missing_name =
      f.Apply({Service("a"), {{"apiVersion", "v1"}, {"kind", "Service"}, {"metadata", json::object()}}});
  REQUIRE_FALSE(missing_name.ok());
  CHECK(missing_name.error().message() == "object #2 (Service): metadata.name is required");
  json claimed = Service("b");
  claimed["metadata"]["labels"] = {{kApplySetPartOfLabel, "applyset-someone-else-v1"}};
  CHECK_FALSE(f.Apply({claimed}).ok());
  CHECK(f.client.calls().empty());
  auto unknown = f.Apply({{{"apiVersion", "nope.io/v1"}, {"kind", "Nope"}, {"metadata", {{"name", "n"}}}}});
  REQUIRE(unknown.ok());
  REQUIRE(unknown->errors.size() == 1);
  CHECK(unknown->errors[0].message() ==
        R"(applying Nope "n": resource mapping not found for Nope "n" (ensure CRDs are installed first): )"
        R"(no matches for kind "Nope" in version "nope.io/v1")");
}

Error ConflictOn(std::vector<std::string> fields) {
  return FakeRestClient::ErrorFromStatus(409, "Conflict",
                                         "Apply failed with 1 conflict: conflict with \"kubectl-llm\" "
                                         "with subresource \"scale\": .spec.replicas")
      .WithFields(std::move(fields));
}

TEST_CASE("a conflict only on fields the caller may take is applied again with force, any other conflict stands") {
  Fixture f;
  f.options.force_fields = {".spec.replicas"};
  REQUIRE(f.Apply({Deployment("chat", 3)}).ok());
  SUBCASE("replicas held by scale: taken") {
    f.client.FailNext("APPLY", ConflictOn({".spec.replicas"}), "chat");
    const size_t before = f.client.applies().size();
    auto outcome = f.Apply({Deployment("chat", 1)});
    REQUIRE(outcome.ok());
    CHECK(outcome->errors.empty());
    REQUIRE(f.client.applies().size() == before + 3);  // parent read is a GET: chat twice, then the parent
    CHECK_FALSE(f.client.applies()[before].force);
    CHECK(f.client.applies()[before + 1].force);
    CHECK_FALSE(f.client.applies()[before + 2].force);  // never on the parent
    CHECK((*f.client.Find({"apps", "v1", "deployments", "ml", "chat", ""}))["spec"]["replicas"] == 1);
  }
  SUBCASE("another field among the conflicts: not forced, the error names it") {
    f.client.FailNext("APPLY", ConflictOn({".spec.replicas", ".spec.template.spec.containers[name=\"a\"].image"}),
                      "chat");
    auto outcome = f.Apply({Deployment("chat", 1)});
    REQUIRE(outcome.ok());
    REQUIRE(outcome->errors.size() == 1);
    CHECK(outcome->errors[0].kind() == ErrorKind::kConflict);
    for (const ApplyOptions& apply : f.client.applies()) CHECK_FALSE(apply.force);
  }
  SUBCASE("no force fields: a replicas conflict stands too") {
    f.options.force_fields.clear();
    f.client.FailNext("APPLY", ConflictOn({".spec.replicas"}), "chat");
    auto outcome = f.Apply({Deployment("chat", 1)});
    REQUIRE(outcome.ok());
    CHECK(outcome->errors.size() == 1);
  }
}

TEST_CASE("a claim dropped from the set is released and kept, not pruned, delete keeps it unless delete_data") {
  Fixture f;
  REQUIRE(f.Apply({Deployment("chat"), Claim("cache")}).ok());
  const ResourceRef claim{"", "v1", "persistentvolumeclaims", "ml", "cache", ""};
  const std::string uid = (*f.client.Find(claim))["metadata"]["uid"];

  auto dropped = f.Apply({Deployment("chat")});
  REQUIRE(dropped.ok());
  CHECK(dropped->errors.empty());
  CHECK(f.Lines(*dropped) ==
        std::vector<std::string>{
            "deployment.apps/chat unchanged",
            "persistentvolumeclaim/cache kept: it holds data, so it was released from the set "
            "instead of deleted (remove it with: kubectl delete persistentvolumeclaim cache -n ml)"});
  auto kept = f.client.Find(claim);
  REQUIRE(kept.has_value());
  CHECK((*kept)["metadata"]["uid"] == uid);
  CHECK_FALSE((*kept)["metadata"]["labels"].contains(kApplySetPartOfLabel));
  CHECK(f.Annotation(kApplySetGroupKindsAnnotation) == "Deployment.apps");

  // Back in the set, then the set deleted: kept again; with delete_data: gone.
  REQUIRE(f.Apply({Deployment("chat"), Claim("cache")}).ok());
  SUBCASE("delete keeps it") {
    auto deleted = f.applier.Delete({"chat", "ml"}, f.options);
    REQUIRE(deleted.ok());
    CHECK(deleted->errors.empty());
    CHECK(f.Lines(*deleted)[0] == "deployment.apps/chat pruned");
    CHECK(f.Lines(*deleted)[1].starts_with("persistentvolumeclaim/cache kept: it holds data"));
    CHECK(f.client.Find(claim).has_value());
    CHECK_FALSE(f.client.Find(kParent).has_value());
  }
  SUBCASE("delete_data deletes it") {
    f.options.delete_data = true;
    auto deleted = f.applier.Delete({"chat", "ml"}, f.options);
    REQUIRE(deleted.ok());
    CHECK(f.Lines(*deleted) ==
          std::vector<std::string>{"deployment.apps/chat pruned", "persistentvolumeclaim/cache pruned"});
    CHECK_FALSE(f.client.Find(claim).has_value());
  }
}

TEST_CASE("an explicit -n is enforced: an object in another namespace is refused before any request") {
  Fixture f;
  f.options.enforce_namespace = true;
  auto moved = f.Apply({Deployment("chat"), Service("chat", "other")});
  REQUIRE_FALSE(moved.ok());
  CHECK(moved.error().message() ==
        "the namespace from the provided object \"other\" does not match the namespace \"ml\". You must pass "
        "'--namespace=other' to perform this operation.");
  CHECK(f.client.calls().empty());
  f.options.enforce_namespace = false;  // no -n given: the object's own namespace is used, as kubectl does
  auto elsewhere = f.Apply({Deployment("chat"), Service("chat", "other")});
  REQUIRE(elsewhere.ok());
  CHECK(elsewhere->errors.empty());
}

}  // namespace
}  // namespace llm::kube

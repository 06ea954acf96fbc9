// ApplySets, discovery, watches and waits against the real control plane.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <doctest/doctest.h>

#include "integration/test_cluster.h"
#include "kube/applier.h"
#include "kube/client_factory.h"
#include "kube/curl_transport.h"
#include "kube/discovery.h"
#include "kube/rest_mapper.h"
#include "kube/rollout_status.h"
#include "kube/waiter.h"
#include "kube/watcher.h"
#include "util/build_info.h"
#include "util/clock.h"
#include "util/file_system.h"

namespace llm::testing {
namespace {
using nlohmann::json;

/// A namespace of the test's own, removed when the test ends.
class ScopedNamespace {
 public:
  explicit ScopedNamespace(std::string name) : name_(std::move(name)) {
    TestCluster::Get().Kubectl("admin", {"create", "namespace", name_});
  }
  ~ScopedNamespace() { TestCluster::Get().Kubectl("admin", {"delete", "namespace", name_, "--wait=false"}); }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
};

/// The product's own client stack, as the admin user.
struct Cluster {
  std::istringstream in;
  std::ostringstream out, err;
  std::shared_ptr<kube::RestClient> client;
  std::string server;
  SystemClock clock;
  DiskFileSystem files;
  std::string cache_root;

  Cluster() {
    kube::ConfigFlags flags;
    flags.kubeconfig = TestCluster::Get().Kubeconfig("admin");
    auto connection = kube::Connect(flags, IoStreams{in, out, err});
    REQUIRE_MESSAGE(connection.ok(), (connection.ok() ? "" : connection.error().message()));
    client = connection->client;
    server = connection->config.server;
    cache_root = (std::filesystem::temp_directory_path() /
                  ("kube-apply-it-cache-" + std::to_string(::getpid()))).string();
  }
  ~Cluster() {
    std::error_code ec;
    std::filesystem::remove_all(cache_root, ec);
  }
  kube::DiscoveryOptions DiscoveryOpts() const {
    kube::DiscoveryOptions options;
    options.server_url = server;
    options.cache_root = cache_root;
    return options;
  }
};

/// Forwards to the real client and counts watch requests (nothing is answered here).
class CountingClient final : public kube::RestClient {
 public:
  explicit CountingClient(kube::RestClient& inner) : inner_(inner) {}
  std::vector<std::string> watch_paths;
  Result<kube::HttpResponse> Do(kube::HttpRequest request) override { return inner_.Do(std::move(request)); }
  Result<kube::HttpResponse> Stream(kube::HttpRequest request, const kube::ChunkSink& sink) override {
    watch_paths.push_back(request.path);
    return inner_.Stream(std::move(request), sink);
  }
  Result<json> Get(const kube::ResourceRef& ref) override { return inner_.Get(ref); }
  Result<json> List(const kube::ResourceRef& ref, const kube::ListOptions& options) override {
    return inner_.List(ref, options);
  }
  Result<json> Create(const kube::ResourceRef& ref, const json& object, bool dry_run) override {
    return inner_.Create(ref, object, dry_run);
  }
  Result<json> Apply(const kube::ResourceRef& ref, const json& object, const kube::ApplyOptions& options) override {
    return inner_.Apply(ref, object, options);
  }
  Result<json> MergePatch(const kube::ResourceRef& ref, const json& patch, bool dry_run) override {
    return inner_.MergePatch(ref, patch, dry_run);
  }
  Result<json> Delete(const kube::ResourceRef& ref, const kube::DeleteOptions& options) override {
    return inner_.Delete(ref, options);
  }

 private:
  kube::RestClient& inner_;
};

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

json Deployment(const std::string& name, int replicas) {
  json labels = {{"app", name}};
  return {{"apiVersion", "apps/v1"},
          {"kind", "Deployment"},
          {"metadata", {{"name", name}}},
          {"spec",
           {{"replicas", replicas},
            {"selector", {{"matchLabels", labels}}},
            {"template",
             {{"metadata", {{"labels", labels}}},
              {"spec", {{"containers", {{{"name", "main"}, {"image", "registry.k8s.io/pause:3.10"}}}}}}}}}}};
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
  CHECK(secret["metadata"]["annotations"][kube::kApplySetToolingAnnotation] == options.tooling);
  CommandOutput members = TestCluster::Get().Kubectl(
      "admin", {"-n", ns.name(), "get", "deployments,services,configmaps", "-l",
                std::string(kube::kApplySetPartOfLabel) + "=" + kube::ApplySetId("chat", ns.name(), "Secret", ""),
                "-o", "name"});
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
  secret = json::parse(TestCluster::Get().Kubectl("admin", {"-n", ns.name(), "get", "secret", "chat", "-o", "json"}).out);
  CHECK(secret["metadata"]["annotations"][kube::kApplySetGroupKindsAnnotation] == "ConfigMap,Deployment.apps");
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
               {"properties", {{"spec", {{"type", "object"}, {"properties", {{"size", {{"type", "integer"}}}}}}}}}}}}}}}}}}};
  json widget = {{"apiVersion", group + "/v1"}, {"kind", "Widget"}, {"metadata", {{"name", "w"}}}, {"spec", {{"size", 3}}}};
  kube::ApplierOptions options;
  options.default_namespace = ns.name();
  options.tooling = kube::ApplySetTooling(GetBuildInfo().version);
  auto outcome = applier.Apply({widget, crd}, {"widgets", ns.name()}, options);
  REQUIRE(outcome.ok());
  for (const Error& error : outcome->errors) FAIL(error.message());
  CHECK(Lines(*outcome) == std::vector<std::string>{"customresourcedefinition.apiextensions.k8s.io/widgets." + group +
                                                        " created",
                                                    "widget." + group + "/w created"});
  CommandOutput got = TestCluster::Get().Kubectl("admin", {"-n", ns.name(), "get", "widgets." + group, "w", "-o",
                                                           "jsonpath={.spec.size}"});
  CHECK(got.out == "3");
  // The refreshed cache now knows the kind for the next process.
  kube::Discovery later(*cluster.client, &cluster.files, cluster.clock, cluster.DiscoveryOpts());
  kube::RestMapper later_mapper(later);
  CHECK(*later_mapper.HasGroupKind({group, "Widget"}));
  CHECK_FALSE(later.fresh());
  TestCluster::Get().Kubectl("admin", {"delete", "crd", "widgets." + group, "--wait=false"});
}

/// etcd's current revision and a compaction up to it, through etcd's JSON gateway.
void CompactEtcd() {
  std::ifstream in(TestCluster::Get().dir() + "/etcd-endpoint");
  std::string endpoint;
  std::getline(in, endpoint);
  REQUIRE_FALSE(endpoint.empty());
  kube::CurlTransportConfig config;
  config.server = endpoint;
  auto transport = kube::CurlTransport::Create(config, ProcessGetenv());
  REQUIRE(transport.ok());
  kube::HttpRequest range;
  range.method = "POST";
  range.path = "/v3/kv/range";
  range.body = R"({"key":"AA=="})";
  auto answer = (*transport)->Do(range);
  REQUIRE(answer.ok());
  REQUIRE(answer->status == 200);
  const std::string revision = json::parse(answer->body)["header"]["revision"].get<std::string>();
  kube::HttpRequest compact;
  compact.method = "POST";
  compact.path = "/v3/kv/compaction";
  compact.body = json{{"revision", revision}, {"physical", true}}.dump();
  auto compacted = (*transport)->Do(compact);
  REQUIRE(compacted.ok());
  REQUIRE(compacted->status == 200);
}

json EventObject(const std::string& name, const std::string& ns, const std::string& message) {
  return {{"apiVersion", "v1"},
          {"kind", "Event"},
          {"metadata", {{"name", name}, {"namespace", ns}}},
          {"involvedObject", {{"kind", "ConfigMap"}, {"name", "x"}, {"namespace", ns}}},
          {"reason", "Test"},
          {"message", message},
          {"type", "Normal"}};
}

TEST_CASE("a watch that falls behind etcd's compaction gets 410, relists and loses no update") {
  // Events bypass the API server's watch cache, so a compaction in etcd reaches
  // the watch as it would for any resource once the cache's window has passed.
  ScopedNamespace ns("kube-apply-gone");
  Cluster cluster;
  kube::ResourceRef events{"", "v1", "events", ns.name(), "", ""};
  auto put = [&](const std::string& name, const std::string& message) {
    kube::ResourceRef ref = events;
    ref.name = name;
    REQUIRE(cluster.client->Apply(ref, EventObject(name, ns.name(), message), kube::ApplyOptions{}).ok());
  };
  put("kept", "v1");
  put("doomed", "v1");
  CountingClient counting(*cluster.client);
  kube::WatchOptions options;
  options.deadline = cluster.clock.Now() + std::chrono::seconds(60);
  kube::Watcher watcher(counting, cluster.clock, events, options);
  std::vector<std::string> seen;
  int synced = 0;
  Status run = watcher.Run([&](const kube::WatchEvent& event) -> Result<bool> {
    static const char* kNames[] = {"ADDED", "MODIFIED", "DELETED", "BOOKMARK", "SYNCED"};
    if (event.type == kube::WatchEventType::kBookmark) return true;
    std::string line = std::string(kNames[static_cast<int>(event.type)]) + " " +
                       event.object.value("/metadata/name"_json_pointer, std::string()) + (event.synthetic ? "*" : "");
    seen.push_back(line);
    if (event.type == kube::WatchEventType::kSynced && ++synced == 1) {
      // While nobody watches: a change, a creation, a deletion, then compaction,
      // so the list's resourceVersion is gone when the watch starts.
      put("kept", "v2");
      put("born", "v1");
      kube::ResourceRef doomed = events;
      doomed.name = "doomed";
      REQUIRE(cluster.client->Delete(doomed, kube::DeleteOptions{}).ok());
      CompactEtcd();
    } else if (event.type == kube::WatchEventType::kSynced && synced == 2) {
      put("after", "v1");  // the watch from the relist's version must see this
    }
    return !(event.type == kube::WatchEventType::kAdded && !event.synthetic &&
             event.object.value("/metadata/name"_json_pointer, std::string()) == "after");
  });
  REQUIRE_MESSAGE(run.ok(), (run.ok() ? "" : run.error().message()));
  CHECK(watcher.lists() == 2);
  CHECK(seen == std::vector<std::string>{"ADDED doomed*", "ADDED kept*", "SYNCED *", "ADDED born*", "MODIFIED kept*",
                                         "DELETED doomed*", "SYNCED *", "ADDED after"});
}

TEST_CASE("a watch the server ends after timeoutSeconds=1 is resumed and sees later changes") {
  ScopedNamespace ns("kube-apply-resume");
  Cluster cluster;
  CountingClient counting(*cluster.client);
  kube::ResourceRef configmaps{"", "v1", "configmaps", ns.name(), "", ""};
  kube::WatchOptions options;
  options.max_watch_duration = std::chrono::seconds(1);
  options.label_selector = "test=resume";
  options.deadline = cluster.clock.Now() + std::chrono::seconds(60);
  kube::Watcher watcher(counting, cluster.clock, configmaps, options);
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(3500));
    TestCluster::Get().Kubectl("admin", {"-n", ns.name(), "create", "configmap", "late"});
    TestCluster::Get().Kubectl("admin", {"-n", ns.name(), "label", "configmap", "late", "test=resume"});
  });
  Status run = watcher.Run([&](const kube::WatchEvent& event) -> Result<bool> {
    return event.synthetic || event.type == kube::WatchEventType::kBookmark;
  });
  writer.join();
  REQUIRE_MESSAGE(run.ok(), (run.ok() ? "" : run.error().message()));
  CHECK(watcher.lists() == 1);
  REQUIRE(counting.watch_paths.size() >= 3);
  for (const std::string& path : counting.watch_paths) CHECK(path.find("timeoutSeconds=1") != std::string::npos);
}

TEST_CASE("waits: a condition, a field, deletion, and a timeout with kubectl's message") {
  ScopedNamespace ns("kube-apply-wait");
  Cluster cluster;
  kube::Waiter waiter(*cluster.client, cluster.clock);
  kube::ResourceRef cm{"", "v1", "configmaps", ns.name(), "flag", ""};
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    TestCluster::Get().Kubectl("admin", {"-n", ns.name(), "create", "configmap", "flag", "--from-literal=state=ready"});
  });
  auto field = waiter.WaitFor(cm, kube::FieldIs("{.data.state}", "ready"), std::chrono::seconds(30));
  writer.join();
  REQUIRE_MESSAGE(field.ok(), (field.ok() ? "" : field.error().message()));
  CHECK(field->object["data"]["state"] == "ready");

  auto timeout = waiter.WaitFor(cm, kube::FieldIs("{.data.state}", "never"), std::chrono::seconds(2));
  REQUIRE_FALSE(timeout.ok());
  CHECK(timeout.error().message() == "timed out waiting for the condition on configmaps/flag");

  std::thread deleter([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    TestCluster::Get().Kubectl("admin", {"-n", ns.name(), "delete", "configmap", "flag"});
  });
  auto deleted = waiter.WaitFor(cm, kube::IsDeleted(), std::chrono::seconds(30));
  deleter.join();
  CHECK(deleted.ok());

  // A Deployment's Available condition and rollout, as the real controller
  // reports them (no replicas, so no node is needed).
  kube::ResourceRef deployment{"apps", "v1", "deployments", ns.name(), "web", ""};
  REQUIRE(cluster.client->Apply(deployment, Deployment("web", 0), kube::ApplyOptions{}).ok());
  auto available = waiter.WaitFor(deployment, kube::ConditionIs("Available"), std::chrono::seconds(60));
  CHECK_MESSAGE(available.ok(), (available.ok() ? "" : available.error().message()));
  auto rolled_out = waiter.WaitFor(deployment, kube::RolledOut(), std::chrono::seconds(60));
  REQUIRE_MESSAGE(rolled_out.ok(), (rolled_out.ok() ? "" : rolled_out.error().message()));
  CHECK(rolled_out->message == "deployment \"web\" successfully rolled out");
}

}  // namespace
}  // namespace llm::testing

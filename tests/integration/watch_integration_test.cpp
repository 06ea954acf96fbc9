// Watches and waits against the real control plane: 410 after an etcd
// compaction, resuming after timeoutSeconds, and each kind of wait.
#include <chrono>
#include <fstream>
#include <thread>

#include <doctest/doctest.h>

#include "integration/etcd_compaction.h"
#include "integration/kube_client.h"
#include "kube/curl_transport.h"
#include "kube/rollout_status.h"
#include "kube/waiter.h"
#include "kube/watcher.h"

namespace llm::testing {
namespace {
using nlohmann::json;

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

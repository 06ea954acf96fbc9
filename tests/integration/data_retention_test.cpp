// No data is lost by default: a PersistentVolumeClaim the plugin created (a
// model cache holding hundreds of gigabytes of weights) survives a re-apply
// that leaves its flag out and a delete; it is released from the ApplySet and
// kept, the same object (same UID). --delete-data removes it.
#include <doctest/doctest.h>

#include "integration/kube_client.h"
#include "integration/test_cluster.h"

namespace llm::testing {
namespace {

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

CommandOutput Llm(std::vector<std::string> args) { return TestCluster::Get().Plugin("admin", args); }

std::string PvcField(const std::string& ns, const std::string& path) {
  CommandOutput out =
      TestCluster::Get().Kubectl("admin", {"-n", ns, "get", "pvc", "cache", "-o", "jsonpath={" + path + "}"});
  return out.exit_code == 0 ? out.out : "<absent>";
}

TEST_CASE("a model cache claim is kept, same UID, when its flag is dropped and when the workload is deleted") {
  ScopedNamespace ns("data-retention");
  const std::vector<std::string> base = {"serve", "s1", "-n", ns.name(), "--model", "m/x", "--gpus", "1", "--cpu", "1"};
  std::vector<std::string> with_cache = base;
  with_cache.insert(with_cache.end(), {"--model-cache-pvc", "cache:100Gi"});

  CommandOutput created = Llm(with_cache);
  REQUIRE_MESSAGE(created.exit_code == 0, created.err);
  CHECK(Contains(created.out, "persistentvolumeclaim/cache created\n"));
  const std::string uid = PvcField(ns.name(), ".metadata.uid");
  REQUIRE(uid != "<absent>");

  CommandOutput dropped = Llm(base);
  CHECK_MESSAGE(dropped.exit_code == 0, dropped.err);
  CHECK(Contains(dropped.out,
                 "persistentvolumeclaim/cache kept: it holds data, so it was released from the set "
                 "instead of deleted (remove it with: kubectl delete persistentvolumeclaim cache -n " +
                     ns.name() + ")\n"));
  CHECK_FALSE(Contains(dropped.out, "pruned"));
  CHECK(PvcField(ns.name(), ".metadata.uid") == uid);
  CHECK(PvcField(ns.name(), ".metadata.deletionTimestamp").empty());
  // Released: no later prune or delete of the set finds it.
  CHECK(PvcField(ns.name(), ".metadata.labels.applyset\\.kubernetes\\.io/part-of").empty());
  CommandOutput steady = Llm(base);
  CHECK_MESSAGE(steady.exit_code == 0, steady.err);
  CHECK_FALSE(Contains(steady.out, "persistentvolumeclaim"));

  // The flag back: the same claim joins the set again.
  CommandOutput readopted = Llm(with_cache);
  CHECK_MESSAGE(readopted.exit_code == 0, readopted.err);
  CHECK(Contains(readopted.out, "persistentvolumeclaim/cache configured\n"));
  CHECK(PvcField(ns.name(), ".metadata.uid") == uid);

  CommandOutput deleted = Llm({"delete", "s1", "-n", ns.name(), "--wait", "--timeout", "2m"});
  CHECK_MESSAGE(deleted.exit_code == 0, deleted.err);
  CHECK(Contains(deleted.out, "deployment.apps \"s1\" deleted\n"));
  CHECK(Contains(deleted.out, "persistentvolumeclaim \"cache\" kept: it holds data (delete it too with --delete-data"));
  CHECK(PvcField(ns.name(), ".metadata.uid") == uid);
  CHECK(PvcField(ns.name(), ".metadata.deletionTimestamp").empty());
  CHECK(TestCluster::Get().Kubectl("admin", {"-n", ns.name(), "get", "secret", "s1"}).exit_code != 0);
}

TEST_CASE("delete --delete-data removes the claims the workload made") {
  ScopedNamespace ns("data-retention-delete");
  CommandOutput created = Llm({"serve", "s2", "-n", ns.name(), "--model", "m/x", "--gpus", "1", "--cpu", "1",
                               "--model-cache-pvc", "cache:10Gi"});
  REQUIRE_MESSAGE(created.exit_code == 0, created.err);
  CommandOutput deleted = Llm({"delete", "s2", "-n", ns.name(), "--delete-data", "--wait", "--timeout", "2m"});
  CHECK_MESSAGE(deleted.exit_code == 0, deleted.err);
  CHECK(Contains(deleted.out, "persistentvolumeclaim \"cache\" deleted\n"));
  CHECK(PvcField(ns.name(), ".metadata.uid") == "<absent>");
}

}  // namespace
}  // namespace llm::testing

// history and the revisions serve records, against the real control plane:
// who (two kubeconfigs), statuses, operations, change-cause, pruning, and a
// many revisions read from their index (or a metadata-only list).
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "integration/kube_client.h"
#include "integration/test_cluster.h"
#include "kube/apply_set.h"
#include "kube/object_fields.h"
#include "kube/paged_list.h"
#include "kube/resource_ref.h"
#include "workload/revision_index.h"
#include "workload/revision_record.h"

namespace llm::testing {
namespace {

using nlohmann::json;

CommandOutput Llm(const std::string& user, std::vector<std::string> args) {
  return TestCluster::Get().Plugin(user, args);
}

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// The image of the Deployment's first container, as the API server holds it.
std::string LiveImage(const std::string& ns, const std::string& name) {
  return TestCluster::Get()
      .Kubectl("admin",
               {"-n", ns, "get", "deployment", name, "-o", "jsonpath={.spec.template.spec.containers[0].image}"})
      .out;
}

TEST_CASE("history: serve v1 (admin), v2 (dev), v3 (engine change), rollback to 1: users, statuses, operations") {
  // team-a: the one namespace the dev kubeconfig may use.
  const std::vector<std::string> v1 = {"serve", "hist", "-n", "team-a", "--model", "org/m1", "--gpus", "1"};
  CommandOutput first = Llm("admin", v1);
  REQUIRE_MESSAGE(first.exit_code == 0, first.err);
  const std::string v1_image = LiveImage("team-a", "hist");
  CommandOutput second =
      Llm("dev", {"serve", "hist", "--model", "org/m2", "--gpus", "1", "--set", "env.MY_TOKEN=hf_x"});
  REQUIRE_MESSAGE(second.exit_code == 0, second.err);
  // Under --as, the impersonated user is USER and the real one is recorded too.
  CommandOutput third = Llm("admin", {"serve", "hist", "-n", "team-a", "--model", "org/m2", "--gpus", "1", "--engine",
                                      "sglang", "--as", "system:serviceaccount:team-a:dev"});
  REQUIRE_MESSAGE(third.exit_code == 0, third.err);

  CommandOutput json_out = Llm("dev", {"history", "hist", "-o", "json"});
  REQUIRE_MESSAGE(json_out.exit_code == 0, json_out.err);
  const json list = json::parse(json_out.out);
  CHECK(list["kind"] == "RevisionList");
  REQUIRE(list["items"].size() == 3);
  const json& items = list["items"];
  CHECK(items[0]["revision"] == 1);
  CHECK(items[0]["status"] == "superseded");
  CHECK(items[0]["user"] == "kubectl-llm-admin");
  CHECK(items[0]["description"] == "Install complete");
  CHECK(items[1]["status"] == "superseded");
  CHECK(items[1]["user"] == "system:serviceaccount:team-a:dev");
  CHECK(Contains(items[1]["groups"].dump(), "system:serviceaccounts:team-a"));
  CHECK(items[1]["commandLine"] == "kubectl llm serve hist --model org/m2 --gpus 1 --set 'env.MY_TOKEN=<redacted>'");
  CHECK(items[2]["status"] == "deployed");
  CHECK(items[2]["user"] == "system:serviceaccount:team-a:dev");
  CHECK(items[2]["realUser"] == "kubectl-llm-admin");
  CHECK(items[2]["operation"] == "serve");
  CHECK(items[2]["description"] == "Upgrade complete");
  CHECK(items[0]["digest"] != items[1]["digest"]);
  CHECK(items[1]["digest"] != items[2]["digest"]);
  CHECK(Contains(items[2]["images"].dump(), "sglang"));
  CHECK_FALSE(Contains(json_out.out, "hf_x"));

  CommandOutput table = Llm("admin", {"history", "hist", "-n", "team-a"});
  REQUIRE_MESSAGE(table.exit_code == 0, table.err);
  CHECK(table.out.starts_with("REVISION   UPDATED "));
  CHECK(Contains(table.out, "   deployed     serve       kubectl-llm-admin as system:serviceaccount:team-a:dev   "));

  // Back to revision 1: the engine changes back (objects change, sglang's are pruned), recorded as revision 4.
  CommandOutput rolled = Llm("dev", {"rollback", "hist", "1"});
  REQUIRE_MESSAGE(rolled.exit_code == 0, rolled.err);
  CHECK(Contains(rolled.out, "Rollback was a success: hist is at revision 1's objects.\n"));
  CHECK(LiveImage("team-a", "hist") == v1_image);
  const json after = json::parse(Llm("admin", {"history", "hist", "-n", "team-a", "-o", "json"}).out);
  REQUIRE(after["items"].size() == 4);
  CHECK(after["items"][3]["operation"] == "rollback");
  CHECK(after["items"][3]["description"] == "Rollback to 1");
  CHECK(after["items"][3]["status"] == "deployed");
  CHECK(after["items"][3]["user"] == "system:serviceaccount:team-a:dev");
  CHECK(after["items"][3]["digest"] == items[0]["digest"]);
  CHECK(after["items"][2]["status"] == "superseded");
  // Without REVISION: the deployed revision before the current one (3, the sglang one).
  CommandOutput dry = Llm("admin", {"rollback", "hist", "-n", "team-a", "--dry-run=client", "-o", "name"});
  REQUIRE_MESSAGE(dry.exit_code == 0, dry.err);
  CHECK(Contains(dry.out, "deployment.apps/hist\n"));
  CHECK(LiveImage("team-a", "hist") == v1_image);

  // kubectl rollout history reads the cause the plugin set on the Deployment.
  CommandOutput rollout =
      TestCluster::Get().Kubectl("admin", {"-n", "team-a", "rollout", "history", "deployment/hist"});
  CHECK_MESSAGE(Contains(rollout.out, "kubectl llm serve hist -n team-a --model org/m2 --gpus 1 --engine sglang"),
                rollout.out);

  // A change made behind the plugin's back shows as drift in -o wide. The
  // server stamps managedFields in whole seconds: the edit must fall in a later
  // second than the rollback's finish to be told apart from it.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  REQUIRE(TestCluster::Get()
              .Kubectl("admin", {"-n", "team-a", "annotate", "deployment/hist", "someone/edited=yes"})
              .exit_code == 0);
  CommandOutput wide = Llm("admin", {"history", "hist", "-n", "team-a", "-o", "wide"});
  REQUIRE_MESSAGE(wide.exit_code == 0, wide.err);
  CHECK_MESSAGE(Contains(wide.out, "after revision 4"), wide.out);

  // --history-max 2 keeps the newest two after the next apply.
  CommandOutput fifth =
      Llm("admin", {"serve", "hist", "-n", "team-a", "--model", "org/m3", "--gpus", "1", "--history-max", "2"});
  REQUIRE_MESSAGE(fifth.exit_code == 0, fifth.err);
  const json pruned = json::parse(Llm("admin", {"history", "hist", "-n", "team-a", "-o", "json"}).out);
  REQUIRE(pruned["items"].size() == 2);
  CHECK(pruned["items"][0]["revision"] == 4);
  CHECK(pruned["items"][1]["revision"] == 5);

  // delete (without --keep-history) takes the history along: the revisions are owned by the ApplySet parent.
  REQUIRE(Llm("admin", {"delete", "hist", "-n", "team-a"}).exit_code == 0);
  CommandOutput gone = TestCluster::Get().Kubectl("admin", {"-n", "team-a", "wait", "--for=delete", "secrets", "-l",
                                                            "kubectl-llm.dev/revision-of=hist", "--timeout=60s"});
  CHECK_MESSAGE((gone.exit_code == 0 || Contains(gone.err, "no matching resources found")), gone.err);
}

TEST_CASE("serve --wait --rollback-on-failure: an image that cannot be pulled returns to the previous revision") {
  ScopedNamespace ns("history-rollback");
  CommandOutput good = Llm("admin", {"serve", "rb", "-n", ns.name(), "--model", "org/m", "--gpus", "1",
                                     "--skip-preflight", "--wait", "--timeout", "2m"});
  REQUIRE_MESSAGE(good.exit_code == 0, good.err);
  const std::string good_image = LiveImage(ns.name(), "rb");
  // kwok's Stage makes the pod's image unpullable (tests/cluster/kwok/stages.yaml).
  const std::string patch = std::filesystem::temp_directory_path() / ("history-pull-" + std::to_string(::getpid()));
  std::ofstream(patch)
      << R"({"spec":{"template":{"metadata":{"annotations":{"stage.kubectl-llm.test/play":"image-pull-failure"}}}}})";
  CommandOutput bad = Llm("admin", {"serve", "rb", "-n", ns.name(), "--model", "org/m", "--gpus", "1",
                                    "--skip-preflight", "--image", "registry.example/vllm:missing", "--patch",
                                    "deployment/rb=" + patch, "--wait", "--timeout", "2m", "--rollback-on-failure"});
  std::filesystem::remove(patch);
  CHECK(bad.exit_code == 4);
  CHECK_MESSAGE(Contains(bad.err, "Revision 2 of rb failed; rolling back to revision 1 (--rollback-on-failure)\n"),
                bad.err);
  CHECK(Contains(bad.err, "Rolled back rb to revision 1\n"));
  CHECK(LiveImage(ns.name(), "rb") == good_image);
  const json list = json::parse(Llm("admin", {"history", "rb", "-n", ns.name(), "-o", "json"}).out);
  REQUIRE(list["items"].size() == 3);
  CHECK(list["items"][1]["status"] == "failed");
  CHECK(list["items"][1]["wait"] == "failed");
  CHECK(Contains(list["items"][1]["reason"].get<std::string>(), "cannot pull image"));
  CHECK(list["items"][2]["operation"] == "rollback");
  CHECK(list["items"][2]["description"] == "Rollback to 1");
  CHECK(list["items"][2]["status"] == "deployed");
  CHECK(list["items"][2]["digest"] == list["items"][0]["digest"]);
}

TEST_CASE("delete --keep-history keeps the revisions, and rollback NAME REVISION restores the workload") {
  ScopedNamespace ns("history-keep");
  REQUIRE(
      Llm("admin", {"serve", "kh", "-n", ns.name(), "--model", "org/m", "--gpus", "1", "--skip-preflight"}).exit_code ==
      0);
  CommandOutput deleted = Llm("admin", {"delete", "kh", "-n", ns.name(), "--keep-history", "--wait"});
  REQUIRE_MESSAGE(deleted.exit_code == 0, deleted.err);
  CHECK(TestCluster::Get().Kubectl("admin", {"-n", ns.name(), "get", "deployment", "kh"}).exit_code != 0);
  const json kept = json::parse(Llm("admin", {"history", "kh", "-n", ns.name(), "-o", "json"}).out);
  REQUIRE(kept["items"].size() == 2);
  CHECK(kept["items"][1]["operation"] == "delete");
  CHECK(kept["items"][1]["description"] == "Deleted (history kept)");

  CommandOutput restored = Llm("admin", {"rollback", "kh", "1", "-n", ns.name()});
  REQUIRE_MESSAGE(restored.exit_code == 0, restored.err);
  CHECK(Contains(restored.out, "deployment.apps/kh created\n"));
  CHECK(TestCluster::Get().Kubectl("admin", {"-n", ns.name(), "get", "deployment", "kh"}).exit_code == 0);
}

TEST_CASE("serve refuses a revision too large for one Secret before anything is applied") {
  ScopedNamespace ns("history-size");
  // Two values files (each under the 1 MiB a values file may hold) whose random values end up in the
  // rendered objects: about 1.5 MB once compressed.
  std::mt19937 random(5);
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::vector<std::string> files;
  for (const char* key : {"BLOB_A", "BLOB_B"}) {
    std::string noise;
    for (int k = 0; k < 1000 * 1000; ++k) noise += alphabet[random() % alphabet.size()];
    files.push_back(std::filesystem::temp_directory_path() /
                    ("history-size-" + std::string(key) + "-" + std::to_string(::getpid())));
    std::ofstream(files.back()) << "env:\n  " << key << ": " << noise << "\n";
  }
  CommandOutput out = Llm("admin", {"serve", "big", "-n", ns.name(), "--model", "org/m", "--gpus", "1",
                                    "--skip-preflight", "-f", files[0], "-f", files[1]});
  for (const std::string& file : files) std::filesystem::remove(file);
  CHECK(out.exit_code == 1);
  CHECK_MESSAGE(Contains(out.err,
                         "bytes of compressed objects, more than the 1048576 bytes a Secret may hold; "
                         "nothing was applied"),
                out.err);
  CHECK(out.out.empty());
  CHECK(TestCluster::Get().Kubectl("admin", {"-n", ns.name(), "get", "deployment", "big"}).exit_code != 0);
}

/// What one `history` run asked for, from its -v=7 log: each request's
/// headers, then kubectl's -v=6 response line with the body's size.
struct HistoryRequests {
  size_t lists = 0, reads = 0, received = 0;
  std::string list_accept;
  std::vector<std::string> read_names;
};

HistoryRequests ParseHistoryLog(const std::string& err, const std::string& ns) {
  const std::string secrets = TestCluster::Get().Server() + "/api/v1/namespaces/" + ns + "/secrets";
  HistoryRequests seen;
  std::istringstream log(err);
  bool in_list_request = false;
  for (std::string line; std::getline(log, line);) {
    if (line.starts_with("GET " + secrets)) {
      const bool list = line[4 + secrets.size()] == '?';
      const size_t bytes_at = line.rfind(" milliseconds, ");
      if (bytes_at == std::string::npos) {
        in_list_request = list;  // the request line; its headers follow
        continue;
      }
      in_list_request = false;
      seen.received += std::stoul(line.substr(bytes_at + 15));
      if (list) {
        ++seen.lists;
      } else {
        ++seen.reads;
        const std::string rest = line.substr(4 + secrets.size() + 1);
        seen.read_names.push_back(rest.substr(0, rest.find(' ')));
      }
    } else if (in_list_request && line.starts_with("    Accept: ")) {
      seen.list_accept = line.substr(12);
    }
  }
  return seen;
}

TEST_CASE("history: 200 revisions are read from their index, one object (or one metadata-only list), bytes at -v=6") {
  ScopedNamespace ns("history-many");
  Cluster cluster;
  // 200 revisions of about 40 KiB of payload each (incompressible), written as serve writes them: each
  // revision's Secret, and the workload's index of them.
  std::mt19937 random(11);
  std::vector<RevisionAudit> audits;
  for (int i = 1; i <= 200; ++i) {
    std::string noise;
    for (int k = 0; k < 40 * 1024; ++k) noise += static_cast<char>('a' + random() % 26);
    Revision revision;
    revision.audit.workload = "many";
    revision.audit.ns = ns.name();
    revision.audit.number = i;
    revision.audit.operation = "serve";
    revision.audit.status = i == 200 ? RevisionStatus::kDeployed : RevisionStatus::kSuperseded;
    revision.audit.user = "kubectl-llm-admin";
    revision.audit.command_line = "kubectl llm serve many --model org/model-" + std::to_string(i);
    revision.objects = {{{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"data", {{"blob", noise}}}}};
    revision.audit.digest = RenderedDigest(revision.objects);
    const json secret = RevisionSecret(revision);
    REQUIRE(cluster.client->Create(kube::core::Secrets(ns.name(), NameOf(secret)), secret, false).ok());
    audits.push_back(revision.audit);
  }
  const json index = RevisionIndexSecret("many", ns.name(), audits);
  REQUIRE(cluster.client->Create(kube::core::Secrets(ns.name(), NameOf(index)), index, false).ok());

  const auto start = std::chrono::steady_clock::now();
  CommandOutput indexed = Llm("admin", {"history", "many", "-n", ns.name(), "--max", "0", "-v=7"});
  const auto elapsed = std::chrono::steady_clock::now() - start;
  REQUIRE_MESSAGE(indexed.exit_code == 0, indexed.err);
  CHECK(std::count(indexed.out.begin(), indexed.out.end(), '\n') == 201);
  // Reported, never asserted: a shared machine's load decides wall times (tests/bench/ measures).
  MESSAGE("history of 200 revisions: ", std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count(), " ms");
  // One read, of the index, and no list.
  const HistoryRequests from_index = ParseHistoryLog(indexed.err, ns.name());
  CHECK(from_index.lists == 0);
  CHECK(from_index.read_names == std::vector<std::string>{"kubectl-llm.many.index"});

  // Without an index (an older plugin's history): one list of the revision Secrets, asking for metadata only,
  // and no Secret read one by one; the same table.
  REQUIRE(cluster.client->Delete(kube::core::Secrets(ns.name(), NameOf(index)), {}).ok());
  CommandOutput listed = Llm("admin", {"history", "many", "-n", ns.name(), "--max", "0", "-v=7"});
  REQUIRE_MESSAGE(listed.exit_code == 0, listed.err);
  CHECK(listed.out == indexed.out);
  const HistoryRequests from_list = ParseHistoryLog(listed.err, ns.name());
  CHECK(from_list.lists == 1);
  CHECK(from_list.read_names == std::vector<std::string>{"kubectl-llm.many.index"});  // asked for, 404
  CHECK_MESSAGE(from_list.list_accept.starts_with("application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"),
                from_list.list_accept);

  // The bytes each way moves, against what a full list (helm list's way) would.
  auto bytes = [&](kube::ListItems items) {
    size_t total = 0;
    kube::ListOptions options;
    options.label_selector = "kubectl-llm.dev/revision-of=many";
    REQUIRE(kube::ForEachListPage(
                *cluster.client, kube::core::Secrets(ns.name()), options,
                [&](json& page) {
                  total += page.dump().size();
                  return Ok();
                },
                items)
                .ok());
    return total;
  };
  const size_t full = bytes(kube::ListItems::kObjects);
  MESSAGE("history received ", from_index.received, " bytes from the index, ", from_list.received,
          " by a metadata-only list (-v=6); a full list of the same Secrets: ", full, " bytes");
  CHECK(from_index.received > 0);
  CHECK(from_index.received * 5 < from_list.received);
  CHECK(from_list.received * 10 < full);
}

TEST_CASE("a revision left pending by a SIGKILLed serve holds the workload until its lease ends, then is taken over") {
  ScopedNamespace ns("history-killed");
  const TestCluster& cluster = TestCluster::Get();
  // 64 GPUs fit no node: --wait waits (for its 10 minutes) after the apply, and is killed there.
  const std::string deployment = cluster.Server() + "/apis/apps/v1/namespaces/" + ns.name() + "/deployments/killed";
  CommandOutput killed =
      RunCommand({KUBECTL_LLM_BINARY, "serve", "killed", "-n", ns.name(), "--model", "org/m", "--gpus", "64",
                  "--skip-preflight", "--wait", "--timeout", "10m", "-v=6"},
                 {"KUBECONFIG=" + cluster.Kubeconfig("admin"), "KUBECACHEDIR=" + cluster.dir() + "/kube-cache"}, "", {},
                 [&](const CommandOutput& so_far, std::chrono::milliseconds elapsed) {
                   // The apply's response line: the revision is recorded (pending) and the objects applied.
                   const bool applied =
                       so_far.err.find("PATCH " + deployment + "?") != std::string::npos &&
                       so_far.err.find(" milliseconds, ", so_far.err.find("PATCH " + deployment)) != std::string::npos;
                   return applied || elapsed > std::chrono::seconds(60) ? SIGKILL : 0;
                 });
  REQUIRE_MESSAGE(killed.term_signal == SIGKILL, killed.err);
  const json pending = json::parse(Llm("admin", {"history", "killed", "-n", ns.name(), "-o", "json"}).out);
  REQUIRE(pending["items"].size() == 1);
  REQUIRE(pending["items"][0]["status"] == "pending");

  // While the lease holds (10 minutes of --timeout plus two), the next command is refused and changes nothing.
  CommandOutput refused =
      Llm("admin", {"serve", "killed", "-n", ns.name(), "--model", "org/m2", "--gpus", "1", "--skip-preflight"});
  CHECK(refused.exit_code == 1);
  CHECK_MESSAGE(Contains(refused.err,
                         "revision 1 of killed is pending: kubectl-llm-admin started `kubectl llm serve "
                         "killed -n " +
                             ns.name()),
                refused.err);
  CHECK(Contains(refused.err, "retry after that (an interrupted command's hold ends on its own)"));
  CHECK(Contains(LiveImage(ns.name(), "killed"), "vllm"));
  CHECK(cluster
            .Kubectl("admin", {"-n", ns.name(), "get", "deployment", "killed", "-o",
                               "jsonpath={.spec.template.spec.containers[0].args}"})
            .out.find("org/m2") == std::string::npos);

  // The lease is data on the revision: ending it now stands for the minutes it would take.
  REQUIRE(cluster
              .Kubectl("admin", {"-n", ns.name(), "annotate", "--overwrite", "secret", "kubectl-llm.killed.v1",
                                 "revision.kubectl-llm.dev/lease-until=2020-01-01T00:00:00Z"})
              .exit_code == 0);
  CommandOutput took_over =
      Llm("admin", {"serve", "killed", "-n", ns.name(), "--model", "org/m2", "--gpus", "1", "--skip-preflight"});
  REQUIRE_MESSAGE(took_over.exit_code == 0, took_over.err);
  CHECK_MESSAGE(Contains(took_over.err, "Warning: revision 1 of killed was left pending by kubectl-llm-admin at "),
                took_over.err);
  CHECK(Contains(took_over.err, "(its command ended without an outcome); marking it failed and taking over\n"));
  const json after = json::parse(Llm("admin", {"history", "killed", "-n", ns.name(), "-o", "json"}).out);
  REQUIRE(after["items"].size() == 2);
  CHECK(after["items"][0]["status"] == "failed");
  CHECK(after["items"][0]["reason"] ==
        "interrupted: its command ended before recording an outcome; taken over by revision 2");
  CHECK(after["items"][0]["finished"] != "");
  CHECK(after["items"][1]["status"] == "deployed");
}

TEST_CASE(
    "serve refused before any object (a parent kubectl manages) records a failed revision, and a rerun is not held") {
  ScopedNamespace ns("history-refused");
  const TestCluster& cluster = TestCluster::Get();
  const json parent = {{"apiVersion", "v1"},
                       {"kind", "Secret"},
                       {"metadata",
                        {{"name", "taken"},
                         {"labels", {{kube::kApplySetIdLabel, kube::ApplySetId("taken", ns.name(), "Secret", "")}}},
                         {"annotations", {{kube::kApplySetToolingAnnotation, "kubectl/v1.35.4"}}}}}};
  REQUIRE(cluster.Kubectl("admin", {"-n", ns.name(), "create", "-f", "-"}, parent.dump()).exit_code == 0);
  const std::vector<std::string> serve = {"serve", "taken", "-n", ns.name(), "--model", "org/m", "--cpu", "1"};
  for (int run = 1; run <= 2; ++run) {
    CAPTURE(run);
    CommandOutput refused = Llm("admin", serve);
    CHECK(refused.exit_code == 1);
    // Each run gives the real cause, the second one too: the first one's revision does not hold the workload.
    CHECK_MESSAGE(Contains(refused.err, "managed by tooling \"kubectl/v1.35.4\""), refused.err);
    const json items = json::parse(Llm("admin", {"history", "taken", "-n", ns.name(), "-o", "json"}).out)["items"];
    REQUIRE(items.size() == static_cast<size_t>(run));
    CHECK(items.back()["status"] == "failed");
  }
  CHECK(cluster.Kubectl("admin", {"-n", ns.name(), "get", "service", "taken"}).exit_code == 1);
}

TEST_CASE("serve reads its ApplySet parent once, creating or changing a workload, and the parent owns each revision") {
  ScopedNamespace ns("history-parent");
  const TestCluster& cluster = TestCluster::Get();
  std::vector<std::string> serve = {"serve",  "owned", "-n",    ns.name(), "--model", "org/m",
                                    "--gpus", "1",     "--cpu", "1",       "-v=6"};
  const std::string parent_read = "GET " + cluster.Server() + "/api/v1/namespaces/" + ns.name() + "/secrets/owned ";
  const auto parent_reads = [&](const CommandOutput& run) {
    size_t count = 0;
    for (size_t at = run.err.find(parent_read); at != std::string::npos; at = run.err.find(parent_read, at + 1)) {
      ++count;
    }
    return count;
  };
  const auto owner_of = [&](const std::string& secret) {
    return cluster
        .Kubectl("admin",
                 {"-n", ns.name(), "get", "secret", secret, "-o", "jsonpath={.metadata.ownerReferences[0].uid}"})
        .out;
  };
  CommandOutput created = Llm("admin", serve);
  REQUIRE_MESSAGE(created.exit_code == 0, created.err);
  CHECK_MESSAGE(parent_reads(created) == 1, created.err);
  const std::string parent_uid =
      cluster.Kubectl("admin", {"-n", ns.name(), "get", "secret", "owned", "-o", "jsonpath={.metadata.uid}"}).out;
  REQUIRE_FALSE(parent_uid.empty());
  CHECK(owner_of("kubectl-llm.owned.v1") == parent_uid);
  CHECK(owner_of("kubectl-llm.owned.index") == parent_uid);

  serve[5] = "org/m2";  // --model
  CommandOutput changed = Llm("admin", serve);
  REQUIRE_MESSAGE(changed.exit_code == 0, changed.err);
  CHECK(Contains(changed.out, "deployment.apps/owned configured"));
  CHECK_MESSAGE(parent_reads(changed) == 1, changed.err);
  CHECK(owner_of("kubectl-llm.owned.v2") == parent_uid);
}

TEST_CASE("serve creating a workload sends the preflight's and the revision's first reads together, each once") {
  ScopedNamespace ns("history-together");
  const TestCluster& cluster = TestCluster::Get();
  CommandOutput created =
      Llm("admin", {"serve", "both", "-n", ns.name(), "--model", "org/m", "--gpus", "1", "--cpu", "1", "-v=6"});
  REQUIRE_MESSAGE(created.exit_code == 0, created.err);
  std::vector<std::string> requests;  // "VERB /path", discovery aside
  std::istringstream lines(created.err);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(" milliseconds") == std::string::npos) continue;
    const std::string path = line.substr(line.find(cluster.Server()) + cluster.Server().size());
    if (path.starts_with("/api?") || path.starts_with("/apis?") || path.starts_with("/openapi")) continue;
    requests.push_back(line.substr(0, line.find(' ')) + " " + path.substr(0, path.find_first_of("? ")));
  }
  const std::string in = "/api/v1/namespaces/" + ns.name();
  const std::vector<std::string> together = {
      "POST /apis/authorization.k8s.io/v1/selfsubjectrulesreviews",  // the preflight's access check
      "GET /api/v1/nodes",                                           // the GPU fit
      "POST /apis/authentication.k8s.io/v1/selfsubjectreviews",      // who records the revision
      "GET " + in + "/secrets",                                      // the revisions so far
      "GET " + in + "/secrets/both",                                 // the ApplySet parent
  };
  // First the namespace and the index (none yet: nothing to claim for a re-apply, no write), then these,
  // before the fit reads the GPU node's pods.
  REQUIRE_MESSAGE(requests.size() > 7, created.err);
  CHECK_MESSAGE(std::vector<std::string>(requests.begin(), requests.begin() + 2) ==
                    std::vector<std::string>({"GET " + in, "GET " + in + "/secrets/kubectl-llm.both.index"}),
                created.err);
  CHECK_MESSAGE(std::vector<std::string>(requests.begin() + 2, requests.begin() + 7) == together, created.err);
  CHECK_MESSAGE(requests[7] == "GET /api/v1/pods", created.err);
  // Each sent once: every call found the answer the batch brought.
  for (const std::string& read : together) {
    CAPTURE(read);
    CHECK(std::count(requests.begin(), requests.end(), read) == 1);
  }
}

TEST_CASE("serve applying its deployed revision again records none, in objects+5 requests, holding the workload") {
  ScopedNamespace ns("history-unchanged");
  const TestCluster& cluster = TestCluster::Get();
  const std::vector<std::string> serve = {"serve",  "same", "-n",    ns.name(), "--model",     "org/m",
                                          "--gpus", "1",    "--cpu", "1",       "--autoscale", "1:2"};
  CommandOutput first = Llm("admin", serve);
  REQUIRE_MESSAGE(first.exit_code == 0, first.err);

  std::vector<std::string> verbose = serve;
  verbose.push_back("-v=6");
  CommandOutput again = Llm("admin", verbose);
  REQUIRE_MESSAGE(again.exit_code == 0, again.err);
  CHECK(again.out ==
        "poddisruptionbudget.policy/same unchanged\nservice/same unchanged\ndeployment.apps/same unchanged\n"
        "horizontalpodautoscaler.autoscaling/same unchanged\n");
  // Its requests, discovery aside: the namespace (its tenant defaults) with the index read, the index taken
  // with the ApplySet parent read, the four objects, the index given back. No preflight, no
  // SelfSubjectReview, no revision written.
  std::string requests;
  std::istringstream lines(again.err);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(" milliseconds") == std::string::npos) continue;
    const std::string path = line.substr(line.find(cluster.Server()) + cluster.Server().size());
    if (path.starts_with("/api?") || path.starts_with("/apis?") || path.starts_with("/openapi")) continue;
    requests += line.substr(0, line.find(' ')) + " " + path.substr(0, path.find_first_of("? ")) + "\n";
  }
  const std::string in = "/namespaces/" + ns.name();
  CHECK(requests == "GET /api/v1" + in + "\n" +                                                   //
                        "GET /api/v1" + in + "/secrets/kubectl-llm.same.index\n" +                //
                        "PATCH /api/v1" + in + "/secrets/kubectl-llm.same.index\n" +              //
                        "GET /api/v1" + in + "/secrets/same\n" +                                  //
                        "PATCH /apis/policy/v1" + in + "/poddisruptionbudgets/same\n" +           //
                        "PATCH /api/v1" + in + "/services/same\n" +                               //
                        "PATCH /apis/apps/v1" + in + "/deployments/same\n" +                      //
                        "PATCH /apis/autoscaling/v2" + in + "/horizontalpodautoscalers/same\n" +  //
                        "PATCH /api/v1" + in + "/secrets/kubectl-llm.same.index\n");
  const auto revisions = [&] {
    return json::parse(Llm("admin", {"history", "same", "-n", ns.name(), "-o", "json"}).out)["items"].size();
  };
  CHECK(revisions() == 1);
  const auto hold = [&](const std::string& until) {
    REQUIRE(cluster
                .Kubectl("admin", {"-n", ns.name(), "annotate", "--overwrite", "secret", "kubectl-llm.same.index",
                                   "kubectl-llm.dev/reapply-lease-until=" + until})
                .exit_code == 0);
  };

  // Held by a re-apply (the hold is data on the index: set here as that command would): a changed serve and an
  // unchanged one are both refused, and nothing changes.
  hold("2099-01-01T00:00:00Z");
  std::vector<std::string> changed = serve;
  changed[5] = "org/m2";  // --model
  for (const auto& args : {changed, serve}) {
    CommandOutput refused = Llm("admin", args);
    CHECK(refused.exit_code == 1);
    CHECK_MESSAGE(Contains(refused.err,
                           "another command is applying same again unchanged and holds it until "
                           "2099-01-01T00:00:00Z; nothing was applied, retry after that"),
                  refused.err);
  }
  CHECK(revisions() == 1);
  CHECK(cluster
            .Kubectl("admin", {"-n", ns.name(), "get", "deployment", "same", "-o",
                               "jsonpath={.spec.template.spec.containers[0].args}"})
            .out.find("org/m2") == std::string::npos);

  // A hold whose command died ends on its own: the next command takes over, with a warning.
  hold("2020-01-01T00:00:00Z");
  CommandOutput took_over = Llm("admin", changed);
  REQUIRE_MESSAGE(took_over.exit_code == 0, took_over.err);
  CHECK_MESSAGE(Contains(took_over.err,
                         "Warning: a command applying same again unchanged held it until 2020-01-01T00:00:00Z and "
                         "ended without giving it back; taking over\n"),
                took_over.err);
  CHECK(revisions() == 2);
}

TEST_CASE("history: -l on the revisions' labels, --sort-by, -L, and -w printing the revision a serve records") {
  ScopedNamespace ns("history-listing");
  const auto serve = [&](const std::string& model) {
    CommandOutput r =
        Llm("admin", {"serve", "lst", "-n", ns.name(), "--model", model, "--gpus", "1", "--skip-preflight"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  };
  serve("org/m1");
  serve("org/m2");
  const auto history = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"history", "lst", "-n", ns.name()});
    return Llm("admin", args);
  };
  CommandOutput deployed = history({"-l", "kubectl-llm.dev/revision-status=deployed", "--no-headers"});
  REQUIRE_MESSAGE(deployed.exit_code == 0, deployed.err);
  CHECK(deployed.out.starts_with("2 "));
  CHECK(std::count(deployed.out.begin(), deployed.out.end(), '\n') == 1);
  CommandOutput none = history({"-l", "kubectl-llm.dev/operation=rollback"});
  CHECK(none.exit_code == 0);
  CHECK(none.err == "No resources found in " + ns.name() + " namespace.\n");

  CommandOutput columns = history({"-L", "kubectl-llm.dev/revision-status", "--show-labels"});
  REQUIRE_MESSAGE(columns.exit_code == 0, columns.err);
  std::istringstream lines(columns.out);
  std::string header, first, second;
  std::getline(lines, header);
  std::getline(lines, first);
  std::getline(lines, second);
  const auto last_two = [](const std::string& line) {
    std::istringstream in(line);
    std::vector<std::string> words;
    for (std::string word; in >> word;) words.push_back(word);
    REQUIRE(words.size() >= 2);
    return std::vector<std::string>(words.end() - 2, words.end());
  };
  CHECK(last_two(header) == std::vector<std::string>{"REVISION-STATUS", "LABELS"});
  CHECK(last_two(first)[0] == "superseded");
  CHECK(Contains(last_two(first)[1], ",kubectl-llm.dev/revision=1"));  // k=v sorted: "revision-of=" before "revision="
  CHECK(last_two(second)[0] == "deployed");

  // The revision label, its key's dots escaped as kubectl's JSONPath wants them.
  CommandOutput sorted = history({"--sort-by", "{.metadata.labels.kubectl-llm\\.dev/revision}", "-o", "json"});
  REQUIRE_MESSAGE(sorted.exit_code == 0, sorted.err);
  const json items = json::parse(sorted.out)["items"];
  REQUIRE(items.size() == 2);
  CHECK(items[0]["revision"] == 1);
  CHECK(items[1]["revision"] == 2);

  const TestCluster& cluster = TestCluster::Get();
  std::thread third;
  bool served = false;
  bool interrupted = false;  // once: a second Ctrl-C ends the process at once
  CommandOutput watch =
      RunCommand({KUBECTL_LLM_BINARY, "history", "lst", "-n", ns.name(), "-w"},
                 {"KUBECONFIG=" + cluster.Kubeconfig("admin"), "KUBECACHEDIR=" + cluster.dir() + "/kube-cache"}, "", {},
                 [&](const CommandOutput& so_far, std::chrono::milliseconds elapsed) {
                   if (elapsed > std::chrono::seconds(90)) return SIGKILL;
                   if (!served && Contains(so_far.out, "\n2 ")) {
                     served = true;
                     third = std::thread([&] { serve("org/m3"); });
                   }
                   if (interrupted || !served || !Contains(so_far.out, "\n3 ")) return 0;
                   if (!Contains(so_far.out.substr(so_far.out.rfind("\n3 ")), "deployed")) return 0;
                   interrupted = true;
                   return SIGINT;
                 });
  if (third.joinable()) third.join();
  CHECK_MESSAGE(watch.exit_code == 130, watch.err);  // stopped by Ctrl-C
  CHECK(watch.out.starts_with("REVISION "));
  CHECK(watch.out.find("REVISION ", 1) == std::string::npos);  // the header once
  CHECK(Contains(watch.out, "\n3 "));
  CHECK(Contains(watch.out, "\n2 "));
}

TEST_CASE("scale records a revision, and diff --revision shows it against another revision and the live objects") {
  ScopedNamespace ns("history-scale");
  // --replicas: a Deployment without it leaves the replicas to whoever scales it (as kubectl apply does).
  REQUIRE(Llm("admin", {"serve", "sc", "-n", ns.name(), "--model", "org/m", "--gpus", "1", "--replicas", "1",
                        "--skip-preflight"})
              .exit_code == 0);
  CommandOutput scaled = Llm("admin", {"scale", "sc", "-n", ns.name(), "--replicas", "3"});
  REQUIRE_MESSAGE(scaled.exit_code == 0, scaled.err);
  const json list = json::parse(Llm("admin", {"history", "sc", "-n", ns.name(), "-o", "json"}).out);
  REQUIRE(list["items"].size() == 2);
  CHECK(list["items"][0]["status"] == "superseded");
  CHECK(list["items"][1]["operation"] == "scale");
  CHECK(list["items"][1]["status"] == "deployed");
  CHECK(list["items"][1]["description"] == "Scaled to 3 replicas");
  CHECK(list["items"][1]["user"] == "kubectl-llm-admin");
  CHECK(list["items"][1]["digest"] != list["items"][0]["digest"]);

  // Two revisions: the replicas are their one difference.
  const std::string file = "apps.v1.Deployment." + ns.name() + ".sc";
  CommandOutput between = Llm("admin", {"diff", "sc", "-n", ns.name(), "--revision", "1..2"});
  CHECK_MESSAGE(between.exit_code == 1, between.err);
  CHECK_MESSAGE(between.out.starts_with("--- REVISION-1/" + file + "\n+++ REVISION-2/" + file + "\n@@ "), between.out);
  CHECK(Contains(between.out, "\n-  replicas: 1\n+  replicas: 3\n"));
  // One object, one changed line: the headers and that line's two sides.
  size_t changed_lines = 0;
  std::istringstream lines(between.out);
  for (std::string line; std::getline(lines, line);) changed_lines += line.starts_with("+") || line.starts_with("-");
  CHECK(changed_lines == 4);
  // Revision 1 against the live objects: from what rollback to 1 would make of them, to what they are.
  CommandOutput since = Llm("admin", {"diff", "sc", "-n", ns.name(), "--revision", "1"});
  CHECK_MESSAGE(since.exit_code == 1, since.err);
  CHECK_MESSAGE(since.out.starts_with("--- REVISION-1/" + file + "\n+++ LIVE/" + file + "\n@@ "), since.out);
  CHECK(Contains(since.out, "\n-  replicas: 1\n+  replicas: 3\n"));
  // Revision 2 is what is live.
  CommandOutput same = Llm("admin", {"diff", "sc", "-n", ns.name(), "--revision", "2"});
  CHECK_MESSAGE(same.exit_code == 0, (same.out + same.err));
  CHECK(same.out.empty());
  // Errors are diff's exit 2 and name what is wrong.
  CommandOutput bad = Llm("admin", {"diff", "sc", "-n", ns.name(), "--revision", "1..x"});
  CHECK(bad.exit_code == 2);
  CHECK(Contains(bad.err, "--revision must be A (revision A against the live objects) or A..B"));
  CommandOutput missing = Llm("admin", {"diff", "sc", "-n", ns.name(), "--revision", "9"});
  CHECK(missing.exit_code == 2);
  CHECK_MESSAGE(Contains(missing.err, "sc has no revision 9 in namespace " + ns.name()), missing.err);
  CommandOutput no_revision = Llm("admin", {"diff", "sc", "-n", ns.name()});
  CHECK(no_revision.exit_code == 2);
  CHECK(Contains(no_revision.err, "diff sc needs --revision A"));

  // The default rollback returns to the served revision, replicas included.
  CommandOutput rolled = Llm("admin", {"rollback", "sc", "-n", ns.name()});
  REQUIRE_MESSAGE(rolled.exit_code == 0, rolled.err);
  CHECK(TestCluster::Get()
            .Kubectl("admin", {"-n", ns.name(), "get", "deployment", "sc", "-o", "jsonpath={.spec.replicas}"})
            .out == "1");
}

}  // namespace
}  // namespace llm::testing

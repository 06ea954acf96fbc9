#include "commands/delete_command.h"

#include <map>
#include <string>

#include <doctest/doctest.h>

#include "fakes/run_cli.h"

namespace llm {
namespace {

TEST_CASE("FormatDeleted prints kubectl delete's line") {
  struct Case {
    kube::ResourceRef ref;
    std::string kind, line;
  };
  const std::vector<Case> cases = {
      {{"apps", "v1", "deployments", "ns", "chat", ""}, "Deployment", "deployment.apps \"chat\" deleted"},
      {{"", "v1", "services", "ns", "chat", ""}, "Service", "service \"chat\" deleted"},
      {{"leaderworkerset.x-k8s.io", "v1", "leaderworkersets", "ns", "big", ""},
       "LeaderWorkerSet",
       "leaderworkerset.leaderworkerset.x-k8s.io \"big\" deleted"},
  };
  for (const Case& c : cases) {
    kube::ObjectResult result;
    result.ref = c.ref;
    result.kind = c.kind;
    CHECK(FormatDeleted(result) == c.line);
  }
}

TEST_CASE("FormatDeleted says a kept claim was kept, and both ways to remove it") {
  kube::ObjectResult result;
  result.ref = {"", "v1", "persistentvolumeclaims", "ml", "cache", ""};
  result.kind = "PersistentVolumeClaim";
  result.action = kube::ApplyAction::kKept;
  CHECK(FormatDeleted(result) ==
        "persistentvolumeclaim \"cache\" kept: it holds data (delete it too with --delete-data, or: kubectl delete "
        "persistentvolumeclaim cache -n ml)");
  // The flag the line names exists.
  CHECK(testing::RunCli({"delete", "--help"}).out.find("--delete-data") != std::string::npos);
}

TEST_CASE("an -n that is no namespace name is a usage error naming -n, before contacting a cluster") {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"delete", "chat", "-n", "bad ns"}, {"status", "-n", "Team_A"}, {"render", "serve", "x", "-n", "a.b"}}) {
    auto r = testing::RunCli(args);
    CHECK(r.code == 2);
    CHECK_MESSAGE(r.err.starts_with("error: -n/--namespace: '"), r.err);
  }
}

TEST_CASE("delete's kubectl flags: dry-run lines, and each bad value named before contacting a cluster") {
  kube::ObjectResult result;
  result.ref = {"", "v1", "services", "ml", "chat", ""};
  result.kind = "Service";
  CHECK(FormatDeleted(result, kube::DryRun::kClient) == "service \"chat\" deleted (dry run)");
  CHECK(FormatDeleted(result, kube::DryRun::kServer) == "service \"chat\" deleted (server dry run)");
  struct Case {
    std::vector<std::string> args;
    std::string err;
  };
  for (const Case& c : std::vector<Case>{
           {{"--dry-run=maybe"}, "error: --dry-run must be one of 'none', 'client' or 'server', got 'maybe'\n"},
           {{"--dry-run=server", "--keep-history"},
            "error: --keep-history records the delete as a revision; it cannot be combined with --dry-run\n"},
           {{"--cascade=sideways"},
            "error: --cascade must be one of 'background', 'foreground' or 'orphan', got 'sideways'\n"},
           {{"--grace-period=-2"},
            "error: --grace-period must be -1 (each pod's own) or a number of seconds, got -2\n"},
       }) {
    std::vector<std::string> args = {"delete", "chat"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    auto r = testing::RunCli(args);
    CHECK(r.code == 2);
    CHECK(r.err == c.err);
  }
  DeleteOptions accepted;
  accepted.name = "chat";
  const std::map<std::string, std::string> policies = {{"background", "Background"},
                                                       {"foreground", "Foreground"},
                                                       {"orphan", "Orphan"},
                                                       {"true", "Background"},
                                                       {"false", "Orphan"}};
  for (const auto& [cascade, policy] : policies) {
    accepted.cascade = cascade;
    auto plan = ValidateDeleteOptions(accepted);
    REQUIRE(plan.ok());
    CHECK(plan->propagation_policy == policy);
  }
}

TEST_CASE("delete refuses a NAME that is no DNS-1123 label before contacting a cluster") {
  auto r = testing::RunCli({"delete", "Bad_Name"});
  CHECK(r.code == 2);
  CHECK(r.err == "error: NAME: 'Bad_Name' must be a DNS-1123 label\n");
}

}  // namespace
}  // namespace llm

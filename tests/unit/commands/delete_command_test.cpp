#include "commands/delete_command.h"

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
      {{"leaderworkerset.x-k8s.io", "v1", "leaderworkersets", "ns", "big", ""}, "LeaderWorkerSet",
       "leaderworkerset.leaderworkerset.x-k8s.io \"big\" deleted"},
  };
  for (const Case& c : cases) {
    kube::ObjectResult result;
    result.ref = c.ref;
    result.kind = c.kind;
    CHECK(FormatDeleted(result) == c.line);
  }
}

TEST_CASE("delete refuses a NAME that is no DNS-1123 label before contacting a cluster") {
  auto r = testing::RunCli({"delete", "Bad_Name"});
  CHECK(r.code == 2);
  CHECK(r.err == "error: NAME: 'Bad_Name' must be a DNS-1123 label\n");
}

}  // namespace
}  // namespace llm

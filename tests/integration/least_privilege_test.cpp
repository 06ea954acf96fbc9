// The least-privilege Role, as `kubectl llm doctor --print-rbac` prints it
// (templates/rbac/), is enough for a user's whole lifecycle in its namespace
// and nothing more: a ServiceAccount bound to exactly that Role serves, trains,
// scales, reads status and logs, diffs and deletes there, and is refused in
// another namespace before anything is written.
#include <unistd.h>

#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "integration/kube_client.h"
#include "integration/namespace_objects.h"
#include "integration/test_cluster.h"
#include "integration/token_kubeconfig.h"

namespace llm::testing {
namespace {

using nlohmann::json;

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST_CASE("a user bound to exactly doctor --print-rbac's Role runs the whole lifecycle, and nothing elsewhere") {
  const TestCluster& cluster = TestCluster::Get();
  const std::string suffix = std::to_string(::getpid());
  ScopedNamespace home("least-privilege-" + suffix);
  ScopedNamespace elsewhere("least-privilege-other-" + suffix);

  CommandOutput rbac = cluster.Plugin("admin", {"doctor", "--print-rbac", "-n", home.name()});
  REQUIRE_MESSAGE(rbac.exit_code == 0, rbac.err);
  CHECK(Contains(rbac.out, "kind: Role\n"));
  CommandOutput applied = cluster.Kubectl("admin", {"apply", "-f", "-"}, rbac.out);
  REQUIRE_MESSAGE(applied.exit_code == 0, applied.err);
  REQUIRE(cluster.Kubectl("admin", {"create", "serviceaccount", "member", "-n", home.name()}).exit_code == 0);
  REQUIRE(cluster
              .Kubectl("admin", {"create", "rolebinding", "member", "-n", home.name(), "--role=kubectl-llm-user",
                                 "--serviceaccount=" + home.name() + ":member"})
              .exit_code == 0);
  CommandOutput issued = cluster.Kubectl("admin", {"create", "token", "member", "-n", home.name(), "--duration=1h"});
  REQUIRE_MESSAGE(issued.exit_code == 0, issued.err);
  ScopedTokenKubeconfig member("least-privilege-" + suffix, home.name(),
                               issued.out.substr(0, issued.out.find_last_not_of('\n') + 1));
  auto as_member = [&](std::vector<std::string> args) {
    CommandOutput r = cluster.Plugin(member.user(), args);
    INFO("kubectl llm ", args.front(), "\nstdout:\n", r.out, "\nstderr:\n", r.err);
    CHECK(r.exit_code == 0);
    return r;
  };

  // doctor finds every permission serve/train need: the Role and its checks agree.
  CommandOutput doctor = cluster.Plugin(member.user(), {"doctor"});
  CHECK_MESSAGE(!Contains(doctor.out, "[fail] cannot"), doctor.out);

  as_member({"serve", "chat", "--model", "org/m", "--gpus", "1", "--cpu", "1", "--wait", "--timeout", "2m"});
  as_member({"serve", "chat", "--model", "org/m", "--gpus", "1", "--cpu", "1", "--autoscale", "1:3"});
  as_member({"serve", "big", "--model", "org/m", "--gpus", "8", "--nodes", "2"});
  as_member({"train", "t", "--backend", "indexed-job", "--image", "reg/img:1", "--nodes", "2", "--gpus-per-node", "1",
             "--wait", "--timeout", "2m", "--", "python", "train.py"});
  as_member({"train", "js", "--backend", "jobset", "--image", "reg/img:1", "--nodes", "2", "--", "python", "t.py"});
  as_member({"serve", "chat", "--model", "org/m", "--gpus", "1", "--cpu", "1"});  // prunes the HPA
  as_member({"scale", "chat", "--replicas", "2"});
  as_member({"scale", "chat", "--replicas", "1", "--current-replicas", "2"});
  as_member({"scale", "big", "--replicas", "2"});
  CommandOutput status = as_member({"status"});
  CHECK(Contains(status.out, "chat"));
  as_member({"status", "chat", "-o", "json"});
  as_member({"list"});
  CommandOutput logs = as_member({"logs", "chat", "--tail", "1"});
  CHECK(Contains(logs.out, "Application startup complete."));
  CommandOutput diff = cluster.Plugin(
      member.user(), {"diff", "serve", "chat", "--model", "org/m", "--gpus", "1", "--cpu", "1", "--replicas", "3"});
  CHECK_MESSAGE(diff.exit_code == 1, diff.err);  // differences, not an error
  for (const char* name : {"chat", "big", "t", "js"}) as_member({"delete", name, "--wait", "--timeout", "2m"});
  CHECK(NamespaceObjects(home.name()).find("deployment") == std::string::npos);

  // Elsewhere every write is refused before anything is written.
  const std::string before = NamespaceObjects(elsewhere.name());
  for (std::vector<std::string> args :
       {std::vector<std::string>{"serve", "chat", "-n", elsewhere.name(), "--model", "org/m", "--gpus", "1"},
        std::vector<std::string>{"train", "t", "-n", elsewhere.name(), "--image", "reg/img:1", "--", "python",
                                 "t.py"}}) {
    CommandOutput refused = cluster.Plugin(member.user(), args);
    INFO(args.front(), " stderr: ", refused.err);
    CHECK(refused.exit_code == 1);
    CHECK(Contains(refused.err, "error: preflight: you may not create "));
    CHECK(Contains(refused.err, "; nothing was applied"));
  }
  CommandOutput scale = cluster.Plugin(member.user(), {"scale", "x", "-n", elsewhere.name(), "--replicas", "2"});
  CHECK(scale.exit_code == 1);
  CHECK(NamespaceObjects(elsewhere.name()) == before);
}

}  // namespace
}  // namespace llm::testing

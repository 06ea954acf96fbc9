// kubectl's global flags that reach the API server, checked against the real
// one and side by side with the real kubectl: --as-uid (impersonation headers),
// --as-group or --as-uid without --as (refused before any request, in
// kubectl's words), and --warnings-as-errors (the server's Warning headers
// printed, then "error: N warning(s) received", exit 1).
#include <unistd.h>

#include <string>

#include <doctest/doctest.h>

#include "integration/kube_client.h"
#include "integration/test_cluster.h"

namespace llm::testing {
namespace {

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

CommandOutput Llm(const std::vector<std::string>& args) { return TestCluster::Get().Plugin("admin", args); }
CommandOutput Kubectl(const std::vector<std::string>& args) { return TestCluster::Get().Kubectl("admin", args); }

TEST_CASE("--as-group or --as-uid without --as is refused as kubectl refuses it, before any request") {
  for (const std::string& flag : {"--as-group=ml", "--as-uid=1234"}) {
    CommandOutput ours = Llm({"status", flag, "-v=6"});
    CommandOutput theirs = Kubectl({"get", "namespaces", flag});
    CHECK(ours.exit_code == 1);
    CHECK(theirs.exit_code == 1);
    CHECK(ours.err == theirs.err);
    CHECK(ours.err == "error: requesting uid, groups or user-extra for admin without impersonating a user\n");
  }
}

TEST_CASE("--as with --as-uid: the server sees the impersonated user with that uid") {
  // dev's ServiceAccount may list in team-a, and nowhere else: the server judged the impersonated user.
  const std::string dev = "system:serviceaccount:team-a:dev";
  CommandOutput allowed = Llm({"status", "-n", "team-a", "--as", dev, "--as-uid", "1234", "-v=7"});
  CHECK(Contains(allowed.err, "Impersonate-User: " + dev + "\n"));
  CHECK(Contains(allowed.err, "Impersonate-Uid: 1234\n"));
  CHECK_MESSAGE(allowed.exit_code == 0, allowed.err);
  CommandOutput refused = Llm({"status", "-n", "default", "--as", dev, "--as-uid", "1234"});
  CHECK(refused.exit_code == 1);
  CHECK_MESSAGE(Contains(refused.err, "User \"" + dev + "\" cannot list resource"), refused.err);
}

TEST_CASE("--warnings-as-errors: the server's warning, then kubectl's error line and exit 1") {
  ScopedNamespace ns("warnings-" + std::to_string(::getpid()));
  REQUIRE(Kubectl({"label", "namespace", ns.name(), "pod-security.kubernetes.io/warn=restricted"}).exit_code == 0);
  const std::vector<std::string> serve = {"serve", "chat",   "-n", ns.name(),         "--model",
                                          "org/m", "--gpus", "1",  "--skip-preflight"};
  std::vector<std::string> strict = serve;
  strict.push_back("--warnings-as-errors");
  CommandOutput failed = Llm(strict);
  CHECK(failed.exit_code == 1);
  CHECK(Contains(failed.out, "deployment.apps/chat created\n"));  // applied, as kubectl's would be
  CHECK(Contains(failed.err, "Warning: would violate PodSecurity \"restricted:latest\": runAsNonRoot != true"));
  CHECK_MESSAGE(failed.err.ends_with("\nerror: 1 warning received\n"), failed.err);

  CommandOutput theirs =
      Kubectl({"create", "deployment", "d", "-n", ns.name(), "--image=x", "--dry-run=server", "--warnings-as-errors"});
  CHECK(theirs.exit_code == 1);
  CHECK(theirs.err.ends_with("\nerror: 1 warning received\n"));

  CommandOutput warned = Llm(serve);  // without the flag: the same warning, exit 0
  CHECK_MESSAGE(warned.exit_code == 0, warned.err);
  CHECK(Contains(warned.out, "deployment.apps/chat unchanged\n"));
}

}  // namespace
}  // namespace llm::testing

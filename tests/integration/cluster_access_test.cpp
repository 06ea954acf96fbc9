// The local control plane's three users, as the foundation promises them.
#include <doctest/doctest.h>

#include "integration/test_cluster.h"

namespace llm::testing {
namespace {

TEST_CASE("admin and exec users list namespaces") {
  for (const char* user : {"admin", "exec"}) {
    CAPTURE(user);
    CommandOutput r = TestCluster::Get().Kubectl(user, {"get", "namespaces", "-o", "name"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("namespace/team-a\n") != std::string::npos);
    CHECK(r.out.find("namespace/kube-system\n") != std::string::npos);
  }
}

TEST_CASE("the dev user sees its own namespace but cannot list the others") {
  CommandOutput own = TestCluster::Get().Kubectl("dev", {"get", "namespace", "team-a", "-o", "name"});
  CHECK(own.exit_code == 0);
  CHECK(own.out == "namespace/team-a\n");
  CommandOutput all = TestCluster::Get().Kubectl("dev", {"get", "namespaces"});
  CHECK(all.exit_code == 1);
  CHECK(all.err.find("Error from server (Forbidden): namespaces is forbidden") != std::string::npos);
}

TEST_CASE("the dev user is Forbidden from listing nodes cluster-wide") {
  CommandOutput r = TestCluster::Get().Kubectl("dev", {"get", "nodes"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("Error from server (Forbidden): nodes is forbidden: User "
                   "\"system:serviceaccount:team-a:dev\" cannot list resource \"nodes\" in API group "
                   "\"\" at the cluster scope") != std::string::npos);
}

TEST_CASE("fake GPU nodes carry what the NVIDIA device plugin and GFD publish") {
  CommandOutput r = TestCluster::Get().Kubectl(
      "admin", {"get", "nodes", "-l", "nvidia.com/gpu.product=NVIDIA-H100-80GB-HBM3", "-o",
                "jsonpath={range .items[*]}{.status.allocatable.nvidia\\.com/gpu} "
                "{.spec.taints[0].key}={.spec.taints[0].value}:{.spec.taints[0].effect}{\"\\n\"}{end}"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("8 nvidia.com/gpu=present:NoSchedule\n") == 0);
}

}  // namespace
}  // namespace llm::testing

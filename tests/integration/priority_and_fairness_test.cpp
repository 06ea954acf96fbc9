// Real 429s from API Priority and Fairness: a FlowSchema sends one test user to
// a PriorityLevel with no seats and no borrowing, so the API server rejects
// every request of that user with 429 and Retry-After. The client must retry
// (and succeed once the starvation is lifted) rather than fail at once.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <doctest/doctest.h>

#include "integration/test_cluster.h"

namespace llm::testing {
namespace {

const char* kStarvation = R"(
apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: PriorityLevelConfiguration
metadata: {name: kubectl-llm-test-starved}
spec:
  type: Limited
  limited:
    nominalConcurrencyShares: 0
    lendablePercent: 0
    borrowingLimitPercent: 0
    limitResponse: {type: Reject}
---
apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: FlowSchema
metadata: {name: kubectl-llm-test-starved}
spec:
  matchingPrecedence: 50
  priorityLevelConfiguration: {name: kubectl-llm-test-starved}
  distinguisherMethod: {type: ByUser}
  rules:
  - subjects:
    - kind: ServiceAccount
      serviceAccount: {name: apf-starved, namespace: team-a}
    resourceRules:
    - {verbs: ["*"], apiGroups: ["*"], resources: ["*"], namespaces: ["*"], clusterScope: true}
    nonResourceRules:
    - {verbs: ["*"], nonResourceURLs: ["*"]}
)";

/// A kubeconfig for ServiceAccount team-a/apf-starved, made from dev's.
std::string StarvedUserKubeconfig(const TestCluster& cluster) {
  cluster.Kubectl("admin", {"create", "serviceaccount", "apf-starved", "-n", "team-a"});
  CommandOutput token = cluster.Kubectl("admin", {"create", "token", "apf-starved", "-n", "team-a"});
  REQUIRE(token.exit_code == 0);
  std::string path = cluster.dir() + "/apf-starved.kubeconfig";
  std::filesystem::copy_file(cluster.Kubeconfig("dev"), path, std::filesystem::copy_options::overwrite_existing);
  std::string bare_token = token.out.substr(0, token.out.find_last_not_of('\n') + 1);
  RunCommand({cluster.dir() + "/bin/kubectl", "--kubeconfig=" + path, "config", "set-credentials", "dev",
              "--token=" + bare_token});
  return path;
}

CommandOutput PluginVersionAs(const std::string& kubeconfig) {
  return RunCommand({KUBECTL_LLM_BINARY, "version", "-o", "json", "-v=6"}, {"KUBECONFIG=" + kubeconfig});
}

TEST_CASE("429 from API Priority and Fairness is retried until the server admits the request") {
  const TestCluster& cluster = TestCluster::Get();
  std::string kubeconfig = StarvedUserKubeconfig(cluster);
  REQUIRE(cluster.Kubectl("admin", {"apply", "-f", "-"}, kStarvation).exit_code == 0);

  // The server really starves this user: the cluster's own kubectl gets 429.
  CommandOutput kubectl = RunCommand({cluster.dir() + "/bin/kubectl", "--kubeconfig=" + kubeconfig, "get",
                                      "--raw=/version", "-v=6"});
  CHECK(kubectl.err.find("429 Too Many Requests") != std::string::npos);

  // Lift the starvation while the plugin is retrying.
  std::thread lift([&cluster] {
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    cluster.Kubectl("admin", {"delete", "flowschema", "kubectl-llm-test-starved"});
  });
  CommandOutput plugin = PluginVersionAs(kubeconfig);
  lift.join();
  cluster.Kubectl("admin", {"delete", "prioritylevelconfiguration", "kubectl-llm-test-starved"});

  CHECK(plugin.exit_code == 0);
  CHECK(plugin.err.find("429") != std::string::npos);  // -v=6 logged the rejected attempts
  CHECK(plugin.out.find("\"serverVersion\"") != std::string::npos);
}

}  // namespace
}  // namespace llm::testing

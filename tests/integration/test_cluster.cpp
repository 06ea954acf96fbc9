#include "integration/test_cluster.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace llm::testing {

const TestCluster& TestCluster::Get() {
  static const TestCluster cluster([] {
    const char* dir = std::getenv("LLM_CLUSTER_DIR");
    return std::string(dir != nullptr && *dir != '\0' ? dir : LLM_TEST_CLUSTER_DIR);
  }());
  return cluster;
}

std::string TestCluster::Server() const {
  std::ifstream in(dir_ + "/server");
  std::string server;
  std::getline(in, server);
  return server;
}

CommandOutput TestCluster::Kubectl(const std::string& user, const std::vector<std::string>& args,
                                   const std::string& input) const {
  std::vector<std::string> argv = {dir_ + "/bin/kubectl", "--kubeconfig=" + Kubeconfig(user)};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, {}, input);
}

CommandOutput TestCluster::CreateNamespace(const std::string& name) const {
  CommandOutput created = Kubectl("admin", {"create", "namespace", name});
  CommandOutput ready =
      Kubectl("admin", {"wait", "--for=create", "serviceaccount/default", "-n", name, "--timeout=120s"});
  if (ready.exit_code != 0) {
    created.err += "the controller manager made no default ServiceAccount in " + name + " within 120 s: " + ready.err;
  }
  return created;
}

CommandOutput TestCluster::Controller(const std::string& action, const std::string& controller) const {
  return RunCommand({std::string(LLM_SOURCE_DIR) + "/tests/cluster/controllers.sh", action, controller},
                    {"LLM_CLUSTER_DIR=" + dir_});
}

CommandOutput TestCluster::StartKueue() const {
  return RunCommand({std::string(LLM_SOURCE_DIR) + "/tests/cluster/kueue.sh"}, {"LLM_CLUSTER_DIR=" + dir_});
}

CommandOutput TestCluster::Plugin(const std::string& user, const std::vector<std::string>& args,
                                  const std::string& input, const OnStarted& on_started) const {
  std::vector<std::string> argv = {KUBECTL_LLM_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  // KUBECONFIG rather than --kubeconfig, so tests also exercise the environment lookup.
  return RunCommand(argv, {"KUBECONFIG=" + Kubeconfig(user), "KUBECACHEDIR=" + dir_ + "/kube-cache"}, input,
                    on_started);
}

}  // namespace llm::testing

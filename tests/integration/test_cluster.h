// TestCluster: the local control plane CTest started for this run (fixture
// "cluster", tests/cluster/up.sh), and the kubeconfigs it wrote.
#pragma once

#include <string>
#include <vector>

#include "integration/run_command.h"

namespace llm::testing {

class TestCluster {
 public:
  /// The cluster in LLM_CLUSTER_DIR, else the one CMake configured for the tests.
  static const TestCluster& Get();

  const std::string& dir() const { return dir_; }
  /// "admin" (client certificate), "dev" (ServiceAccount token, team-a only) or
  /// "exec" (exec credential plugin), or a name whose `<user>.kubeconfig` a
  /// test wrote in dir() (apf_retry_test: a ServiceAccount token).
  std::string Kubeconfig(const std::string& user) const { return dir_ + "/" + user + ".kubeconfig"; }
  std::string Server() const;

  /// Runs the cluster's own kubectl as `user`.
  CommandOutput Kubectl(const std::string& user, const std::vector<std::string>& args,
                        const std::string& input = "") const;
  /// Creates namespace `name` (its output: AlreadyExists is the caller's to
  /// judge) and waits up to 120 s for its "default" ServiceAccount, as the
  /// Kubernetes e2e framework does: until the controller manager has made it,
  /// admission refuses every pod there, and a ReplicaSet's retries back off
  /// for minutes (seen after an API server restart on a loaded machine).
  CommandOutput CreateNamespace(const std::string& name) const;
  /// `tests/cluster/controllers.sh ACTION CONTROLLER` for this cluster:
  /// "start" or "stop", "jobset" or "lws" (start returns once the API server
  /// reaches its webhooks; stop also removes them, leaving the CRD alone).
  CommandOutput Controller(const std::string& action, const std::string& controller) const;
  /// `tests/cluster/kueue.sh` for this cluster: starts the real Kueue unless it
  /// runs; returns once the API server reaches its webhooks.
  CommandOutput StartKueue() const;
  /// Runs the kubectl-llm binary under test as `user`.
  CommandOutput Plugin(const std::string& user, const std::vector<std::string>& args, const std::string& input = "",
                       const OnStarted& on_started = {}) const;

 private:
  explicit TestCluster(std::string dir) : dir_(std::move(dir)) {}
  std::string dir_;
};

}  // namespace llm::testing

#include "faults/expiring_exec_credential.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "faults/fault_output.h"
#include "integration/apf_starvation.h"
#include "integration/test_cluster.h"

namespace llm::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kAccountNamespace = "default";

std::string Trimmed(const std::string& text) { return text.substr(0, text.find_last_not_of('\n') + 1); }

}  // namespace

ExpiringExecCredential::ExpiringExecCredential(FaultProxy& proxy, std::string user)
    : proxy_(proxy),
      user_(std::move(user)),
      account_("fault-exec-" + std::to_string(::getpid())),
      state_(TestCluster::Get().dir() + "/" + account_) {
  const TestCluster& cluster = TestCluster::Get();
  REQUIRE(cluster.Kubectl("admin", {"create", "serviceaccount", account_, "-n", kAccountNamespace}).exit_code == 0);
  REQUIRE(cluster
              .Kubectl("admin", {"create", "clusterrolebinding", account_, "--clusterrole=cluster-admin",
                                 "--serviceaccount=" + std::string(kAccountNamespace) + ":" + account_})
              .exit_code == 0);
  std::filesystem::create_directories(state_);
  std::filesystem::permissions(state_, std::filesystem::perms::owner_all);
  std::ofstream(state_ + "/tokens");
  // The exec kubeconfig of up.sh, through the proxy, running the queue plugin.
  proxy_.WriteKubeconfig(user_, "exec");
  const std::string path = cluster.Kubeconfig(user_);
  std::ifstream in(path);
  json config = json::parse(in);
  for (json& entry : config["users"]) {
    entry["user"]["exec"]["command"] = std::string(LLM_SOURCE_DIR) + "/tests/faults/token-queue-credential.sh";
    entry["user"]["exec"]["args"] = json::array({state_});
  }
  std::ofstream(path, std::ios::trunc) << config.dump(2) << "\n";
}

ExpiringExecCredential::~ExpiringExecCredential() {
  const TestCluster& cluster = TestCluster::Get();
  cluster.Kubectl("admin", {"delete", "secrets", "-n", kAccountNamespace, "-l",
                            "kubectl-llm.test/fault-exec=" + account_, "--ignore-not-found"});
  cluster.Kubectl("admin", {"delete", "clusterrolebinding", account_, "--ignore-not-found"});
  cluster.Kubectl("admin", {"delete", "serviceaccount", account_, "-n", kAccountNamespace, "--ignore-not-found"});
  std::filesystem::remove(cluster.Kubeconfig(user_));
  std::filesystem::remove_all(state_);
}

std::string ExpiringExecCredential::Issue(std::string& secret) {
  const TestCluster& cluster = TestCluster::Get();
  secret = account_ + "-" + std::to_string(++issued_);
  CommandOutput created = cluster.Kubectl("admin", {"create", "secret", "generic", secret, "-n", kAccountNamespace});
  REQUIRE_MESSAGE(created.exit_code == 0, created.err);
  cluster.Kubectl("admin",
                  {"label", "secret", secret, "-n", kAccountNamespace, "kubectl-llm.test/fault-exec=" + account_});
  CommandOutput issued =
      cluster.Kubectl("admin", {"create", "token", account_, "-n", kAccountNamespace, "--bound-object-kind=Secret",
                                "--bound-object-name=" + secret, "--duration=10m"});
  REQUIRE_MESSAGE(issued.exit_code == 0, issued.err);
  return Trimmed(issued.out);
}

void ExpiringExecCredential::Queue() {
  to_revoke_ = Issue(to_revoke_secret_);
  std::string good_secret;
  const std::string good = Issue(good_secret);
  std::ofstream(state_ + "/tokens", std::ios::trunc) << to_revoke_ << "\n" << good << "\n";
}

void ExpiringExecCredential::Revoke() {
  REQUIRE(!to_revoke_.empty());
  CommandOutput deleted =
      TestCluster::Get().Kubectl("admin", {"delete", "secret", to_revoke_secret_, "-n", kAccountNamespace});
  REQUIRE_MESSAGE(deleted.exit_code == 0, deleted.err);
  const ApfProbe probe(to_revoke_);
  REQUIRE_MESSAGE(WaitFor(30s, [&] { return probe.Get().status == 401; }),
                  "the API server still accepts the token bound to the deleted Secret");
  proxy_.SetEnabled(false);
  proxy_.SetEnabled(true);
}

int ExpiringExecCredential::Calls() const {
  std::ifstream in(state_ + "/calls");
  std::stringstream text;
  text << in.rdbuf();
  return static_cast<int>(Lines(text.str()).size());
}

}  // namespace llm::testing

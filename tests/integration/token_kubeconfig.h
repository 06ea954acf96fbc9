// A kubeconfig that authenticates with a bearer token (a ServiceAccount's, from
// `kubectl create token`), written where TestCluster looks for
// `<user>.kubeconfig`, so TestCluster's Kubectl and Plugin run as that
// account. Removed when the object goes.
#pragma once

#include <string>

namespace llm::testing {

class ScopedTokenKubeconfig {
 public:
  /// `ns`: the context's namespace ("" sets none). `server`: "" for the API
  /// server itself, else a proxy in front of it (its certificate is the same).
  ScopedTokenKubeconfig(std::string user, const std::string& ns, const std::string& token,
                        const std::string& server = "");
  ~ScopedTokenKubeconfig();
  ScopedTokenKubeconfig(const ScopedTokenKubeconfig&) = delete;
  ScopedTokenKubeconfig& operator=(const ScopedTokenKubeconfig&) = delete;
  const std::string& user() const { return user_; }

 private:
  std::string user_;
  std::string path_;
};

}  // namespace llm::testing

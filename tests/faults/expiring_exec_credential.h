// ExpiringExecCredential: a kubeconfig (through the fault proxy) whose exec
// plugin hands out ServiceAccount tokens that the real API server stops
// accepting while a command runs. Each token is bound to a Secret of its own
// (`kubectl create token --bound-object-kind Secret`); deleting that Secret
// makes the server reject the token (401), as it rejects an expired one. The
// API server's TokenRequest gives no token under 10 minutes, so this is how a
// credential expires within a test. The plugin (token-queue-credential.sh)
// hands out the tokens in order: the one to be revoked, then a good one, so a
// command passes only when it runs the plugin again after the 401, as
// client-go does.
#pragma once

#include <string>

#include "faults/fault_proxy.h"

namespace llm::testing {

class ExpiringExecCredential {
 public:
  /// A ServiceAccount allowed everything (as admin), and kubeconfig `user`
  /// through `proxy` whose exec plugin reads a token queue of its own.
  ExpiringExecCredential(FaultProxy& proxy, std::string user);
  ~ExpiringExecCredential();
  ExpiringExecCredential(const ExpiringExecCredential&) = delete;
  ExpiringExecCredential& operator=(const ExpiringExecCredential&) = delete;

  const std::string& user() const { return user_; }

  /// Before a command: two new tokens queued, the first to be revoked.
  void Queue();
  /// Revokes the first queued token and returns once the API server rejects
  /// it (its 10 s cache of good tokens waited out); then closes every
  /// connection through the proxy, so open watches reconnect and show it.
  void Revoke();
  /// How many times the exec plugin has run.
  int Calls() const;

 private:
  /// A token of the account bound to a new Secret; the Secret's name in `secret`.
  std::string Issue(std::string& secret);

  FaultProxy& proxy_;
  std::string user_;
  std::string account_;
  std::string state_;  ///< the plugin's directory: tokens, calls
  int issued_ = 0;
  std::string to_revoke_;         ///< token
  std::string to_revoke_secret_;  ///< the Secret it is bound to
};

}  // namespace llm::testing

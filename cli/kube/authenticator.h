// Authenticator: puts the user's credentials on each request: a bearer token
// (static, from a token file re-read as it rotates, or from an exec plugin),
// basic auth, and impersonation headers. Client certificates (from the
// kubeconfig or an exec plugin) are the transport's business (TLS).
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "kube/client_config.h"
#include "kube/exec_credential.h"
#include "kube/transport.h"
#include "util/clock.h"
#include "util/result.h"

namespace llm::kube {

/// client-go re-reads token files this often (transport/token_source.go).
inline constexpr std::chrono::seconds kTokenFileRefresh{60};

class Authenticator {
 public:
  /// `exec` is used only when the config has no token, basic auth or client
  /// certificate (client-go skips exec then, e.g. with --token). May be null.
  Authenticator(const ClientConfig& config, std::shared_ptr<ExecCredentialProvider> exec, Clock& clock);

  /// Whether the exec plugin is in use (the transport then asks it for a
  /// client certificate too).
  static bool UsesExec(const ClientConfig& config);

  /// Adds Authorization and Impersonate-* headers to the request.
  Status Authorize(HttpRequest& request);
  /// After a 401 for `request`: drops the credential it carried. True when a
  /// retry may carry a different one (exec plugin or a rotated token file).
  bool RefreshAfterUnauthorized(const HttpRequest& request);

 private:
  Result<std::string> BearerToken();
  Result<std::string> ReadTokenFile();

  ClientConfig config_;
  std::shared_ptr<ExecCredentialProvider> exec_;
  Clock& clock_;
  std::mutex mu_;  // guards the token file cache
  std::string file_token_;
  std::optional<std::chrono::steady_clock::time_point> file_read_at_;
};

}  // namespace llm::kube

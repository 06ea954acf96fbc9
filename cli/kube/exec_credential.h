// ExecCredentialProvider: credentials from a client-go exec plugin
// (client.authentication.k8s.io/v1 and v1beta1). The plugin runs one at a time,
// its credential is cached until shortly before it expires, and a 401 drops
// the cached credential so the next request runs the plugin again.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "kube/kubeconfig.h"
#include "kube/process_runner.h"
#include "util/clock.h"
#include "util/result.h"

namespace llm::kube {

struct ExecCredential {
  std::string token;
  std::string client_certificate_data;  ///< PEM
  std::string client_key_data;          ///< PEM
  std::optional<std::chrono::system_clock::time_point> expiry;
};

/// The cluster as provideClusterInfo hands it to the plugin.
struct ExecClusterInfo {
  std::string server;
  std::string tls_server_name;
  bool insecure_skip_tls_verify = false;
  std::string ca_data;  ///< PEM; sent base64-encoded
  std::string proxy_url;
  bool disable_compression = false;
  nlohmann::json config;  ///< the cluster's client.authentication.k8s.io/exec extension
};

/// A credential is renewed this long before its expirationTimestamp, so it
/// does not expire while a request is in flight or under small clock skew.
inline constexpr std::chrono::seconds kExecExpiryMargin{30};
/// How long a non-interactive plugin run may take when --request-timeout does
/// not say: one that hangs must not hang the command (client-go waits forever).
inline constexpr std::chrono::milliseconds kExecRunLimit{std::chrono::seconds(60)};

/// The KUBERNETES_EXEC_INFO value for one run.
std::string BuildExecInfo(const ExecConfig& exec, const ExecClusterInfo& cluster, bool interactive);

/// Parses the plugin's stdout; its apiVersion must equal the configured one.
Result<ExecCredential> ParseExecCredentialOutput(std::string_view output, const std::string& api_version);

class ExecCredentialProvider {
 public:
  ExecCredentialProvider(ExecConfig exec, ExecClusterInfo cluster, std::shared_ptr<ProcessRunner> runner, Clock& clock,
                         bool stdin_is_terminal, std::chrono::seconds expiry_margin = kExecExpiryMargin,
                         std::chrono::milliseconds run_limit = kExecRunLimit);

  /// The cached credential, or a new one from the plugin.
  Result<ExecCredential> Get();
  /// After a 401 for a request that used `token`: forget it, unless another
  /// request already replaced it. Returns true when the next Get will run the
  /// plugin or return a different credential.
  bool InvalidateToken(const std::string& token);
  /// The credential the last Get returned, without running the plugin (the
  /// transport reads the client certificate that Get just provided).
  std::optional<ExecCredential> Last();

 private:
  Result<ExecCredential> RunPlugin();

  ExecConfig exec_;
  ExecClusterInfo cluster_;
  std::shared_ptr<ProcessRunner> runner_;
  Clock& clock_;
  bool stdin_is_terminal_;
  std::chrono::seconds margin_;
  std::chrono::milliseconds run_limit_;  ///< for non-interactive runs; an interactive one waits for the user
  std::mutex mu_;                        // one plugin run at a time; guards cached_
  std::optional<ExecCredential> cached_;
};

}  // namespace llm::kube

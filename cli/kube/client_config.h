// ClientConfig: the resolved connection a RestClient is built from (client-go's
// rest.Config): kubeconfig merged with the flags by kubectl's precedence, files
// read into memory, the namespace decided. In-cluster config produces the same.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "kube/config_flags.h"
#include "kube/kubeconfig.h"
#include "util/environment.h"
#include "util/result.h"

namespace llm::kube {

struct ClientConfig {
  std::string server;  ///< scheme://host:port[/prefix], no trailing '/'
  std::string tls_server_name;
  bool insecure_skip_tls_verify = false;
  std::string ca_data;    ///< PEM
  std::string cert_data;  ///< PEM
  std::string key_data;   ///< PEM
  std::string token;
  std::string token_file;  ///< re-read periodically (rotating projected tokens)
  std::string username;
  std::string password;
  std::optional<ExecConfig> exec;
  /// The cluster's exec extension (sent with provideClusterInfo).
  nlohmann::json exec_extension;
  std::string proxy_url;
  bool disable_compression = false;
  std::string impersonate;
  std::vector<std::string> impersonate_groups;
  std::string impersonate_uid;
  std::chrono::milliseconds request_timeout{0};

  std::string ns = "default";
  bool namespace_explicit = false;  ///< -n was given (kubectl's enforceNamespace)
  std::string context_name;
  bool in_cluster = false;
};

/// Applies the flags to the merged kubeconfig (context, then cluster/user
/// overrides, then the per-field flags) and reads the referenced files.
Result<ClientConfig> ResolveClientConfig(const Kubeconfig& config, const ConfigFlags& flags);

inline constexpr const char* kServiceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount";

/// The whole chain kubectl runs: loading rules from --kubeconfig, $KUBECONFIG
/// and $HOME; the in-cluster config when no kubeconfig names anything.
Result<ClientConfig> LoadClientConfig(const ConfigFlags& flags, const Getenv& env,
                                      const std::string& service_account_dir = kServiceAccountDir);

}  // namespace llm::kube

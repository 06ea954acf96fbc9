// Kubeconfig: the file format and kubectl's loading rules
// (client-go tools/clientcmd loader.go): which files are read, how they merge
// (the first file that names an entry wins it whole, and the first
// current-context wins), and relative paths resolved against the file that
// named them.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/result.h"

namespace llm::kube {

struct ExecConfig {
  std::string api_version;  ///< client.authentication.k8s.io/v1 or /v1beta1
  std::string command;      ///< resolved against the kubeconfig's directory when it has a '/'
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;
  std::string install_hint;
  bool provide_cluster_info = false;
  std::string interactive_mode;  ///< Never, IfAvailable, Always ("" = IfAvailable for v1beta1)
};

struct ClusterEntry {
  std::string server;
  std::string tls_server_name;
  bool insecure_skip_tls_verify = false;
  std::string certificate_authority;       ///< absolute path
  std::string certificate_authority_data;  ///< PEM bytes (decoded)
  std::string proxy_url;
  bool disable_compression = false;
  /// extensions[name=client.authentication.k8s.io/exec].extension, passed to exec plugins.
  nlohmann::json exec_extension;
};

struct AuthInfoEntry {
  std::string client_certificate;       ///< absolute path
  std::string client_certificate_data;  ///< PEM bytes (decoded)
  std::string client_key;
  std::string client_key_data;
  std::string token;
  std::string token_file;
  std::string username;
  std::string password;
  std::string impersonate;
  std::vector<std::string> impersonate_groups;
  std::string impersonate_uid;
  std::optional<ExecConfig> exec;
  bool has_auth_provider = false;  ///< legacy auth-provider plugins: not supported, reported
};

struct ContextEntry {
  std::string cluster;
  std::string user;
  std::string ns;
};

struct Kubeconfig {
  std::map<std::string, ClusterEntry> clusters;
  std::map<std::string, AuthInfoEntry> users;
  std::map<std::string, ContextEntry> contexts;
  std::string current_context;
  /// The files that were read, in precedence order (for messages).
  std::vector<std::string> sources;

  bool Empty() const { return clusters.empty() && users.empty() && contexts.empty() && current_context.empty(); }
};

/// Parses one kubeconfig document. `path` names the file in errors, and
/// relative paths inside it are made absolute against its directory.
Result<Kubeconfig> ParseKubeconfig(std::string_view yaml, const std::string& path);

/// Adds the entries of `lower` that `into` does not already have (first wins).
void MergeKubeconfig(Kubeconfig& into, const Kubeconfig& lower);

/// Where kubeconfig files come from; filled from --kubeconfig, $KUBECONFIG, $HOME.
struct LoadingRules {
  std::string explicit_path;   ///< --kubeconfig: one file that must exist
  std::string kubeconfig_env;  ///< $KUBECONFIG: ':'-separated, missing files skipped
  std::string home_dir;        ///< $HOME, for ~/.kube/config
};

/// The files LoadKubeconfig would consider, in precedence order.
std::vector<std::string> KubeconfigPaths(const LoadingRules& rules);

/// Loads and merges as kubectl does. Missing files (other than --kubeconfig)
/// give an empty config, which callers may replace by the in-cluster config.
Result<Kubeconfig> LoadKubeconfig(const LoadingRules& rules);

}  // namespace llm::kube

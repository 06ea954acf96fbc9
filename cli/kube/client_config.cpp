#include "kube/client_config.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "kube/in_cluster_config.h"
#include "util/duration.h"

namespace llm::kube {
namespace {

Error ConfigError(std::string message) { return Error(ErrorKind::kInvalidInput, std::move(message)); }

Result<std::string> ReadWhole(const std::string& path, std::string_view what, std::string_view owner) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    int err = errno;
    return ConfigError(fmt::format("unable to read {} {} for {} due to open {}: {}", what, path, owner, path,
                                   err == ENOENT ? "no such file or directory" : std::strerror(err)));
  }
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

/// client-go DefaultServerURL: a host without a scheme gets https when TLS is
/// configured and http otherwise.
std::string NormalizeServer(std::string server, bool tls) {
  if (server.find("://") == std::string::npos) server = (tls ? "https://" : "http://") + server;
  while (server.size() > 1 && server.back() == '/') server.pop_back();
  return server;
}

/// The context, cluster and user the flags and current-context pick.
struct SelectedEntries {
  ContextEntry context;
  std::string cluster_name;
  ClusterEntry cluster;
  std::string user_name;
  AuthInfoEntry user;
};

Result<SelectedEntries> SelectEntries(const Kubeconfig& config, const ConfigFlags& flags,
                                      const std::string& context_name) {
  SelectedEntries out;
  if (!context_name.empty()) {
    auto it = config.contexts.find(context_name);
    if (it == config.contexts.end()) {
      return ConfigError(fmt::format("context \"{}\" does not exist", context_name));
    }
    out.context = it->second;
  }
  out.cluster_name = flags.cluster.empty() ? out.context.cluster : flags.cluster;
  out.user_name = flags.user.empty() ? out.context.user : flags.user;
  if (!out.cluster_name.empty()) {
    auto it = config.clusters.find(out.cluster_name);
    if (it == config.clusters.end()) {
      if (flags.server.empty()) return ConfigError(fmt::format("cluster \"{}\" does not exist", out.cluster_name));
    } else {
      out.cluster = it->second;
    }
  }
  if (!out.user_name.empty()) {
    auto it = config.users.find(out.user_name);
    if (it == config.users.end()) return ConfigError(fmt::format("auth info \"{}\" does not exist", out.user_name));
    out.user = it->second;
  }
  return out;
}

/// The flags override the kubeconfig's entries (client-go DirectClientConfig.getCluster / getAuthInfo).
void ApplyFlagOverrides(const ConfigFlags& flags, ClusterEntry& cluster, AuthInfoEntry& user) {
  if (!flags.server.empty()) cluster.server = flags.server;
  if (!flags.tls_server_name.empty() || !flags.server.empty()) {
    // A new --server clears the kubeconfig's tls-server-name unless one is given too.
    cluster.tls_server_name = flags.tls_server_name;
  }
  if (flags.insecure_skip_tls_verify || !flags.certificate_authority.empty()) {
    cluster.insecure_skip_tls_verify = flags.insecure_skip_tls_verify;
    cluster.certificate_authority = flags.certificate_authority;
    cluster.certificate_authority_data.clear();
  }
  if (!flags.token.empty()) {
    user.token = flags.token;
    user.token_file.clear();
  }
  if (!flags.client_certificate.empty()) {
    user.client_certificate = flags.client_certificate;
    user.client_certificate_data.clear();
  }
  if (!flags.client_key.empty()) {
    user.client_key = flags.client_key;
    user.client_key_data.clear();
  }
  if (!flags.impersonate.empty()) user.impersonate = flags.impersonate;
  if (!flags.impersonate_groups.empty()) user.impersonate_groups = flags.impersonate_groups;
  if (!flags.impersonate_uid.empty()) user.impersonate_uid = flags.impersonate_uid;
  if (flags.disable_compression) cluster.disable_compression = true;
}

/// client-go's validation of the merged entries, with its messages.
Status CheckEntries(const Kubeconfig& config, const SelectedEntries& selected, const std::string& owner) {
  const ClusterEntry& cluster = selected.cluster;
  const AuthInfoEntry& user = selected.user;
  if (cluster.server.empty()) {
    if (config.Empty()) {
      return ConfigError(
          "invalid configuration: no configuration has been provided; pass --kubeconfig or --server, "
          "or set KUBECONFIG");
    }
    return ConfigError(
        selected.cluster_name.empty()
            ? std::string("invalid configuration: cluster has no server defined")
            : fmt::format("invalid configuration: no server found for cluster \"{}\"", selected.cluster_name));
  }
  if (cluster.insecure_skip_tls_verify &&
      (!cluster.certificate_authority.empty() || !cluster.certificate_authority_data.empty())) {
    return ConfigError("specifying a root certificates file with the insecure flag is not allowed");
  }
  if (!user.token.empty() && !user.username.empty()) {
    return ConfigError(fmt::format(
        "more than one authentication method found for {}; found [token basicAuth], only one is allowed", owner));
  }
  if (user.has_auth_provider && !user.exec) {
    return ConfigError(fmt::format(
        "user {} uses an auth-provider plugin, which kubectl-llm does not support; use an exec plugin", owner));
  }
  if (user.exec && user.exec->command.empty()) {
    return ConfigError(fmt::format("exec plugin for {}: command must be specified", owner));
  }
  if (user.impersonate.empty() && (!user.impersonate_groups.empty() || !user.impersonate_uid.empty())) {
    // The API server would refuse each request; kubectl refuses before sending one.
    return ConfigError(fmt::format("requesting uid, groups or user-extra for {} without impersonating a user", owner));
  }
  const bool has_cert = !user.client_certificate.empty() || !user.client_certificate_data.empty();
  const bool has_key = !user.client_key.empty() || !user.client_key_data.empty();
  if (has_cert && !has_key) {
    return ConfigError(fmt::format(
        "client-key-data or client-key must be specified for {} to use the clientCert authentication method.", owner));
  }
  if (has_key && !has_cert) {
    return ConfigError(fmt::format(
        "client-cert-data or client-cert must be specified for {} to use the clientCert authentication method.",
        owner));
  }
  return Ok();
}

/// Files are read now: the transport keeps certificates in memory (no temp
/// files), and a missing file is reported before any request.
Status ReadCertificates(const SelectedEntries& selected, const std::string& owner, ClientConfig& out) {
  const ClusterEntry& cluster = selected.cluster;
  const AuthInfoEntry& user = selected.user;
  out.ca_data = cluster.certificate_authority_data;
  if (out.ca_data.empty() && !cluster.certificate_authority.empty()) {
    LLM_ASSIGN_OR_RETURN(out.ca_data, ReadWhole(cluster.certificate_authority, "certificate-authority",
                                                selected.cluster_name.empty() ? "the cluster" : selected.cluster_name));
  }
  out.cert_data = user.client_certificate_data;
  if (out.cert_data.empty() && !user.client_certificate.empty()) {
    LLM_ASSIGN_OR_RETURN(out.cert_data, ReadWhole(user.client_certificate, "client-cert", owner));
  }
  out.key_data = user.client_key_data;
  if (out.key_data.empty() && !user.client_key.empty()) {
    LLM_ASSIGN_OR_RETURN(out.key_data, ReadWhole(user.client_key, "client-key", owner));
  }
  return Ok();
}

}  // namespace

Result<ClientConfig> ResolveClientConfig(const Kubeconfig& config, const ConfigFlags& flags) {
  ClientConfig out;
  out.context_name = flags.context.empty() ? config.current_context : flags.context;
  LLM_ASSIGN_OR_RETURN(SelectedEntries selected, SelectEntries(config, flags, out.context_name));
  ApplyFlagOverrides(flags, selected.cluster, selected.user);
  const std::string owner = selected.user_name.empty() ? "the user" : selected.user_name;
  LLM_RETURN_IF_ERROR(CheckEntries(config, selected, owner));
  LLM_RETURN_IF_ERROR(ReadCertificates(selected, owner, out));

  const ClusterEntry& cluster = selected.cluster;
  const AuthInfoEntry& user = selected.user;
  const bool tls = !out.ca_data.empty() || !out.cert_data.empty() || cluster.insecure_skip_tls_verify;
  out.server = NormalizeServer(cluster.server, tls);
  out.tls_server_name = cluster.tls_server_name;
  out.insecure_skip_tls_verify = cluster.insecure_skip_tls_verify;
  out.proxy_url = cluster.proxy_url;
  out.disable_compression = cluster.disable_compression;
  out.exec_extension = cluster.exec_extension;
  out.token = user.token;
  out.token_file = out.token.empty() ? user.token_file : "";
  out.username = user.username;
  out.password = user.password;
  out.exec = user.exec;
  out.impersonate = user.impersonate;
  out.impersonate_groups = user.impersonate_groups;
  out.impersonate_uid = user.impersonate_uid;
  LLM_ASSIGN_OR_RETURN(out.request_timeout, ParseRequestTimeout(flags.request_timeout));

  if (!flags.ns.empty()) {
    out.ns = flags.ns;
    out.namespace_explicit = true;
  } else if (!selected.context.ns.empty()) {
    out.ns = selected.context.ns;
  }
  return out;
}

Result<ClientConfig> LoadClientConfig(const ConfigFlags& flags, const Getenv& env,
                                      const std::string& service_account_dir) {
  LoadingRules rules{flags.kubeconfig, env("KUBECONFIG").value_or(""), env("HOME").value_or("")};
  LLM_ASSIGN_OR_RETURN(Kubeconfig config, LoadKubeconfig(rules));
  // client-go falls back to the in-cluster config only when the loaded config is
  // empty and no --server names another cluster.
  if (flags.kubeconfig.empty() && config.Empty() && flags.server.empty() &&
      InClusterPossible(env, service_account_dir)) {
    LLM_ASSIGN_OR_RETURN(ClientConfig in_cluster, InClusterClientConfig(env, service_account_dir));
    if (!flags.token.empty()) {
      in_cluster.token = flags.token;
      in_cluster.token_file.clear();
    }
    if (!flags.certificate_authority.empty()) {
      LLM_ASSIGN_OR_RETURN(in_cluster.ca_data,
                           ReadWhole(flags.certificate_authority, "certificate-authority", "the cluster"));
    }
    if (!flags.ns.empty()) {
      in_cluster.ns = flags.ns;
      in_cluster.namespace_explicit = true;
    }
    if (!flags.impersonate.empty()) in_cluster.impersonate = flags.impersonate;
    if (!flags.impersonate_groups.empty()) in_cluster.impersonate_groups = flags.impersonate_groups;
    in_cluster.tls_server_name = flags.tls_server_name;
    LLM_ASSIGN_OR_RETURN(in_cluster.request_timeout, ParseRequestTimeout(flags.request_timeout));
    return in_cluster;
  }
  return ResolveClientConfig(config, flags);
}

}  // namespace llm::kube

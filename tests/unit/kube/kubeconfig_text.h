// Every field of a parsed Kubeconfig as text, for the tests that hold two ways
// of reading one file to the same result (kubeconfig_test, fuzz_kubeconfig).
#pragma once

#include <string>

#include <fmt/format.h>

#include "kube/kubeconfig.h"

namespace llm::testing {

inline std::string KubeconfigText(const kube::Kubeconfig& config) {
  std::string out = fmt::format("current-context={}\n", config.current_context);
  for (const auto& [name, c] : config.clusters) {
    out += fmt::format("cluster {}: {}|{}|{}|{}|{}|{}|{}|{}\n", name, c.server, c.tls_server_name,
                       c.insecure_skip_tls_verify, c.certificate_authority, c.certificate_authority_data, c.proxy_url,
                       c.disable_compression, c.exec_extension.dump());
  }
  for (const auto& [name, u] : config.users) {
    out += fmt::format("user {}: {}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}\n", name, u.client_certificate,
                       u.client_certificate_data, u.client_key, u.client_key_data, u.token, u.token_file, u.username,
                       u.password, u.impersonate, fmt::join(u.impersonate_groups, ","), u.impersonate_uid,
                       u.has_auth_provider);
    if (u.exec) {
      const kube::ExecConfig& e = *u.exec;
      out += fmt::format("  exec: {}|{}|{}|{}|{}|{}\n", e.api_version, e.command, fmt::join(e.args, ","),
                         e.install_hint, e.provide_cluster_info, e.interactive_mode);
      for (const auto& [key, value] : e.env) out += fmt::format("  env {}={}\n", key, value);
    }
  }
  for (const auto& [name, c] : config.contexts)
    out += fmt::format("context {}: {}|{}|{}\n", name, c.cluster, c.user, c.ns);
  return out;
}

}  // namespace llm::testing

#include "kube/config_flags.h"

#include <cctype>

#include <CLI/CLI.hpp>

namespace llm::kube {

void ConfigFlags::AddFlags(CLI::App& app) {
  const char* group = "Kubernetes connection (as kubectl)";
  app.add_option("--kubeconfig", kubeconfig, "Path to the kubeconfig file to use (must exist)")->group(group);
  app.add_option("--context", context, "The name of the kubeconfig context to use")->group(group);
  app.add_option("--cluster", cluster, "The name of the kubeconfig cluster to use")->group(group);
  app.add_option("--user", user, "The name of the kubeconfig user to use")->group(group);
  app.add_option("-n,--namespace", ns, "If present, the namespace scope for this CLI request")->group(group);
  app.add_option("-s,--server", server, "The address and port of the Kubernetes API server")->group(group);
  app.add_option("--token", token, "Bearer token for authentication to the API server")->group(group);
  app.add_option("--certificate-authority", certificate_authority, "Path to a cert file for the certificate authority")
      ->group(group);
  app.add_option("--client-certificate", client_certificate, "Path to a client certificate file for TLS")->group(group);
  app.add_option("--client-key", client_key, "Path to a client key file for TLS")->group(group);
  app.add_flag("--insecure-skip-tls-verify", insecure_skip_tls_verify,
               "If true, the server's certificate will not be checked for validity (insecure)")
      ->group(group);
  app.add_option("--tls-server-name", tls_server_name, "Server name to use for server certificate validation")
      ->group(group);
  app.add_option("--request-timeout", request_timeout,
                 "How long to wait for a single request (e.g. 1s, 2m, 3h; 0 = no timeout)")
      ->group(group);
  app.add_option("--as", impersonate, "Username to impersonate for the operation")->group(group);
  app.add_option("--as-group", impersonate_groups, "Group to impersonate; can be repeated")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->group(group);
  app.add_option("--as-uid", impersonate_uid, "UID to impersonate for the operation")->group(group);
  app.add_flag("--disable-compression", disable_compression,
               "If true, opt-out of response compression for all requests to the server")
      ->group(group);
  app.add_flag("--warnings-as-errors", warnings_as_errors,
               "Treat warnings received from the server as errors and exit with a non-zero exit code")
      ->group(group);
  app.add_option("--cache-dir", cache_dir, "Default cache directory (default ~/.kube/cache)")->group(group);
  app.add_option("-v,--v", verbosity, "Log level: 6 shows each request, 8 adds bodies (secrets redacted)")
      ->check(CLI::Range(0, 10))
      ->group(group);
}

std::string ResolveCacheDir(const ConfigFlags& flags,
                            const std::function<std::optional<std::string>(const std::string&)>& getenv) {
  if (!flags.cache_dir.empty()) return flags.cache_dir;
  if (auto dir = getenv("KUBECACHEDIR"); dir && !dir->empty()) return *dir;
  return getenv("HOME").value_or("") + "/.kube/cache";
}

std::vector<std::string> NormalizeShortFlagValues(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  out.reserve(args.size());
  bool after_dashes = false;
  for (const std::string& arg : args) {
    if (arg == "--") after_dashes = true;
    if (!after_dashes && arg.size() > 3 && arg[0] == '-' && std::isalpha(static_cast<unsigned char>(arg[1])) != 0 &&
        arg[2] == '=') {
      out.push_back(arg.substr(0, 2));
      out.push_back(arg.substr(3));
      continue;
    }
    out.push_back(arg);
  }
  return out;
}

}  // namespace llm::kube

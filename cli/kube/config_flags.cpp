#include "kube/config_flags.h"

#include <algorithm>
#include <cctype>

#include <CLI/CLI.hpp>

namespace llm::kube {

void ConfigFlags::AddFlags(CLI::App& app, const std::function<bool(std::string_view names)>& registers) {
  const char* group = "Kubernetes connection (as kubectl)";
  const auto wanted = [&](const char* names) { return !registers || registers(names); };
  const auto option = [&](const char* names, auto& value, const char* help) -> CLI::Option* {
    return wanted(names) ? app.add_option(names, value, help)->group(group) : nullptr;
  };
  const auto flag = [&](const char* names, bool& value, const char* help) {
    if (wanted(names)) app.add_flag(names, value, help)->group(group);
  };
  option("--kubeconfig", kubeconfig, "Path to the kubeconfig file to use (must exist)");
  option("--context", context, "The name of the kubeconfig context to use");
  option("--cluster", cluster, "The name of the kubeconfig cluster to use");
  option("--user", user, "The name of the kubeconfig user to use");
  option("-n,--namespace", ns, "If present, the namespace scope for this CLI request");
  option("-s,--server", server, "The address and port of the Kubernetes API server");
  option("--token", token, "Bearer token for authentication to the API server");
  option("--certificate-authority", certificate_authority, "Path to a cert file for the certificate authority");
  option("--client-certificate", client_certificate, "Path to a client certificate file for TLS");
  option("--client-key", client_key, "Path to a client key file for TLS");
  flag("--insecure-skip-tls-verify", insecure_skip_tls_verify,
       "If true, the server's certificate will not be checked for validity (insecure)");
  option("--tls-server-name", tls_server_name, "Server name to use for server certificate validation");
  option("--request-timeout", request_timeout,
         "How long to wait for a single request (e.g. 1s, 2m, 3h; 0 = no timeout)");
  option("--as", impersonate, "Username to impersonate for the operation");
  if (CLI::Option* as_group = option("--as-group", impersonate_groups, "Group to impersonate; can be repeated")) {
    as_group->expected(1)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  }
  option("--as-uid", impersonate_uid, "UID to impersonate for the operation");
  flag("--disable-compression", disable_compression,
       "If true, opt-out of response compression for all requests to the server");
  flag("--warnings-as-errors", warnings_as_errors,
       "Treat warnings received from the server as errors and exit with a non-zero exit code");
  option("--cache-dir", cache_dir, "Default cache directory (default ~/.kube/cache)");
  if (CLI::Option* v =
          option("-v,--v", verbosity, "Log level: 6 shows each request, 8 adds bodies (secrets redacted)")) {
    v->check(CLI::Range(0, 10));
  }
}

bool MayNameFlag(const std::vector<std::string>& words, std::string_view names) {
  for (const std::string& word : words) {
    if (word == "--") break;  // the rest is a command's own (train's), never parsed as flags
    if (word.size() < 2 || word[0] != '-') continue;
    for (size_t start = 0; start <= names.size();) {
      const size_t comma = std::min(names.find(',', start), names.size());
      const std::string_view name = names.substr(start, comma - start);
      start = comma + 1;
      if (name.starts_with("--")) {
        if (word.starts_with(name) && (word.size() == name.size() || word[name.size()] == '=')) return true;
      } else if (name.size() == 2 && word[1] != '-' && word.find(name[1], 1) != std::string::npos) {
        return true;
      }
    }
  }
  return false;
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

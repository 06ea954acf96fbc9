#include "kube/in_cluster_config.h"
#include "util/strings.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace llm::kube {
namespace {

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

}  // namespace

bool InClusterPossible(const Getenv& env, const std::string& service_account_dir) {
  std::error_code ec;
  return env("KUBERNETES_SERVICE_HOST").value_or("") != "" && env("KUBERNETES_SERVICE_PORT").value_or("") != "" &&
         std::filesystem::exists(service_account_dir + "/token", ec);
}

Result<ClientConfig> InClusterClientConfig(const Getenv& env, const std::string& service_account_dir) {
  std::string host = env("KUBERNETES_SERVICE_HOST").value_or("");
  std::string port = env("KUBERNETES_SERVICE_PORT").value_or("");
  if (host.empty() || port.empty()) {
    return Error(ErrorKind::kInvalidInput,
                 "unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and "
                 "KUBERNETES_SERVICE_PORT must be defined");
  }
  ClientConfig config;
  config.in_cluster = true;
  // net.JoinHostPort: an IPv6 address gets brackets.
  bool ipv6 = host.find(':') != std::string::npos;
  config.server = fmt::format("https://{}{}{}:{}", ipv6 ? "[" : "", host, ipv6 ? "]" : "", port);
  config.token_file = service_account_dir + "/token";
  if (!ReadFile(config.token_file)) {
    return Error(ErrorKind::kInvalidInput,
                 fmt::format("unable to read the service account token {}", config.token_file));
  }
  if (auto ca = ReadFile(service_account_dir + "/ca.crt")) config.ca_data = *ca;
  if (auto ns = env("POD_NAMESPACE"); ns && !ns->empty()) {
    config.ns = *ns;
  } else if (auto file = ReadFile(service_account_dir + "/namespace"); file && !Trim(*file).empty()) {
    config.ns = std::string(Trim(*file));
  }
  return config;
}

}  // namespace llm::kube

#include "kube/exec_credential.h"

#include <fmt/format.h>

#include "kube/object_fields.h"
#include "util/base64.h"
#include "util/rfc3339.h"

namespace llm::kube {
namespace {

constexpr const char* kV1 = "client.authentication.k8s.io/v1";
constexpr const char* kV1beta1 = "client.authentication.k8s.io/v1beta1";

Error CredentialError(const std::string& message) {
  // kubectl: "Unable to connect to the server: getting credentials: exec: ..."
  return Error(ErrorKind::kUnauthorized, "Unable to connect to the server: getting credentials: " + message);
}

}  // namespace

std::string BuildExecInfo(const ExecConfig& exec, const ExecClusterInfo& cluster, bool interactive) {
  nlohmann::ordered_json spec = {{"interactive", interactive}};
  if (exec.provide_cluster_info) {
    // Field names and omitempty as in clientauthentication/v1 Cluster.
    nlohmann::ordered_json c = {{"server", cluster.server}};
    if (!cluster.tls_server_name.empty()) c["tls-server-name"] = cluster.tls_server_name;
    if (cluster.insecure_skip_tls_verify) c["insecure-skip-tls-verify"] = true;
    if (!cluster.ca_data.empty()) c["certificate-authority-data"] = Base64Encode(cluster.ca_data);
    if (!cluster.proxy_url.empty()) c["proxy-url"] = cluster.proxy_url;
    if (cluster.disable_compression) c["disable-compression"] = true;
    if (!cluster.config.is_null()) c["config"] = cluster.config;
    spec["cluster"] = c;
  }
  nlohmann::ordered_json info = {{"kind", "ExecCredential"}, {"apiVersion", exec.api_version}, {"spec", spec}};
  return info.dump();
}

Result<ExecCredential> ParseExecCredentialOutput(std::string_view output, const std::string& api_version) {
  nlohmann::json doc = nlohmann::json::parse(output, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return CredentialError("decoding stdout: the plugin did not print an ExecCredential object");
  std::string got = StringAt(doc, {"apiVersion"});
  if (got != api_version) {
    return CredentialError(fmt::format("exec plugin is configured to use API version {}, plugin returned version {}",
                                       api_version, got.empty() ? "\"\"" : got));
  }
  if (StringAt(doc, {"kind"}) != "ExecCredential") {
    return CredentialError("decoding stdout: the plugin's output is not of kind ExecCredential");
  }
  auto status = doc.find("status");
  if (status == doc.end() || !status->is_object()) return CredentialError("exec plugin didn't return a status field");
  ExecCredential cred;
  cred.token = StringAt(*status, {"token"});
  cred.client_certificate_data = StringAt(*status, {"clientCertificateData"});
  cred.client_key_data = StringAt(*status, {"clientKeyData"});
  if (cred.client_certificate_data.empty() != cred.client_key_data.empty()) {
    return CredentialError("exec plugin returned only certificate or private key, not both");
  }
  if (cred.token.empty() && cred.client_certificate_data.empty()) {
    return CredentialError("exec plugin didn't return a token or cert/key pair");
  }
  if (std::string ts = StringAt(*status, {"expirationTimestamp"}); !ts.empty()) {
    cred.expiry = ParseRfc3339(ts);
    if (!cred.expiry)
      return CredentialError(fmt::format("exec plugin returned an invalid expirationTimestamp \"{}\"", ts));
  }
  return cred;
}

ExecCredentialProvider::ExecCredentialProvider(ExecConfig exec, ExecClusterInfo cluster,
                                               std::shared_ptr<ProcessRunner> runner, Clock& clock,
                                               bool stdin_is_terminal, std::chrono::seconds expiry_margin,
                                               std::chrono::milliseconds run_limit)
    : exec_(std::move(exec)),
      cluster_(std::move(cluster)),
      runner_(std::move(runner)),
      clock_(clock),
      stdin_is_terminal_(stdin_is_terminal),
      margin_(expiry_margin),
      run_limit_(run_limit) {}

Result<ExecCredential> ExecCredentialProvider::Get() {
  // Holding the lock across the run makes concurrent callers wait for one
  // plugin run and then share its credential.
  std::lock_guard<std::mutex> lock(mu_);
  if (cached_ && (!cached_->expiry || clock_.Now() + margin_ < *cached_->expiry)) return *cached_;
  cached_.reset();
  LLM_ASSIGN_OR_RETURN(ExecCredential cred, RunPlugin());
  cached_ = cred;
  return cred;
}

bool ExecCredentialProvider::InvalidateToken(const std::string& token) {
  std::lock_guard<std::mutex> lock(mu_);
  if (cached_ && cached_->token != token) return true;  // already renewed by another request
  cached_.reset();
  return true;
}

std::optional<ExecCredential> ExecCredentialProvider::Last() {
  std::lock_guard<std::mutex> lock(mu_);
  return cached_;
}

Result<ExecCredential> ExecCredentialProvider::RunPlugin() {
  if (exec_.api_version != kV1 && exec_.api_version != kV1beta1) {
    return CredentialError(fmt::format("exec plugin: invalid apiVersion \"{}\"", exec_.api_version));
  }
  std::string mode = exec_.interactive_mode;
  if (mode.empty()) {
    if (exec_.api_version == kV1) {
      return CredentialError("exec plugin: interactiveMode must be specified to use exec authentication plugin");
    }
    mode = "IfAvailable";
  }
  if (mode != "Never" && mode != "IfAvailable" && mode != "Always") {
    return CredentialError(fmt::format("exec plugin: invalid interactiveMode \"{}\"", mode));
  }
  if (mode == "Always" && !stdin_is_terminal_) {
    return CredentialError("exec plugin cannot support interactive mode: standard input is not a terminal");
  }
  bool interactive = mode != "Never" && stdin_is_terminal_;
  ProcessSpec spec{exec_.command, exec_.args, exec_.env, interactive};
  spec.env.emplace_back("KUBERNETES_EXEC_INFO", BuildExecInfo(exec_, cluster_, interactive));
  if (!interactive) spec.timeout = run_limit_;
  auto ran = runner_->Run(spec);
  if (!ran.ok()) {
    if (ran.error().kind() == ErrorKind::kNotFound) {
      std::string message = fmt::format("exec: executable {} not found", exec_.command);
      if (!exec_.install_hint.empty()) message += "\n\n" + exec_.install_hint;
      return CredentialError(message);
    }
    if (ran.error().kind() == ErrorKind::kTimeout) {
      return CredentialError(
          fmt::format("exec: {} (--request-timeout sets how long the plugin may take)", ran.error().message()));
    }
    return CredentialError("exec: " + ran.error().message());
  }
  if (ran->exit_code != 0) {
    return CredentialError(fmt::format("exec: executable {} failed with exit code {}", exec_.command, ran->exit_code));
  }
  return ParseExecCredentialOutput(ran->stdout_data, exec_.api_version);
}

}  // namespace llm::kube

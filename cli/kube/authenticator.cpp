#include "kube/authenticator.h"

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "util/base64.h"

namespace llm::kube {
namespace {

std::string TrimToken(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.pop_back();
  size_t start = s.find_first_not_of(" \t\r\n");
  return start == std::string::npos ? "" : s.substr(start);
}

std::string BearerOf(const HttpRequest& request) {
  for (const auto& [name, value] : request.headers) {
    if (name == "Authorization" && value.starts_with("Bearer ")) return value.substr(7);
  }
  return "";
}

}  // namespace

bool Authenticator::UsesExec(const ClientConfig& config) {
  bool other_auth =
      !config.token.empty() || !config.token_file.empty() || !config.username.empty() || !config.cert_data.empty();
  return config.exec.has_value() && !other_auth;
}

Authenticator::Authenticator(const ClientConfig& config, std::shared_ptr<ExecCredentialProvider> exec, Clock& clock)
    : config_(config), clock_(clock) {
  bool other_auth =
      !config.token.empty() || !config.token_file.empty() || !config.username.empty() || !config.cert_data.empty();
  if (!other_auth) exec_ = std::move(exec);
}

Result<std::string> Authenticator::ReadTokenFile() {
  std::lock_guard<std::mutex> lock(mu_);
  auto now = clock_.Monotonic();
  if (file_read_at_ && now - *file_read_at_ < kTokenFileRefresh && !file_token_.empty()) return file_token_;
  std::ifstream file(config_.token_file, std::ios::binary);
  std::stringstream content;
  if (file) content << file.rdbuf();
  std::string token = TrimToken(content.str());
  if (!file || token.empty()) {
    // A rotation in progress can leave the file briefly unreadable: keep the last token.
    if (!file_token_.empty()) return file_token_;
    return Error(ErrorKind::kUnauthorized,
                 fmt::format("Unable to connect to the server: reading token file {}: {}", config_.token_file,
                             file ? "the file is empty" : "no such file or not readable"));
  }
  file_token_ = token;
  file_read_at_ = now;
  return token;
}

Result<std::string> Authenticator::BearerToken() {
  if (!config_.token.empty()) return config_.token;
  if (!config_.token_file.empty()) return ReadTokenFile();
  if (exec_) {
    // A certificate credential has no token: the transport presents it in TLS.
    LLM_ASSIGN_OR_RETURN(ExecCredential cred, exec_->Get());
    return cred.token;
  }
  return std::string();
}

Status Authenticator::Authorize(HttpRequest& request) {
  LLM_ASSIGN_OR_RETURN(std::string token, BearerToken());
  if (!token.empty()) {
    request.headers.emplace_back("Authorization", "Bearer " + token);
  } else if (!config_.username.empty()) {
    request.headers.emplace_back("Authorization", "Basic " + Base64Encode(config_.username + ":" + config_.password));
  }
  if (!config_.impersonate.empty()) request.headers.emplace_back("Impersonate-User", config_.impersonate);
  for (const std::string& group : config_.impersonate_groups) request.headers.emplace_back("Impersonate-Group", group);
  if (!config_.impersonate_uid.empty()) request.headers.emplace_back("Impersonate-Uid", config_.impersonate_uid);
  return Ok();
}

bool Authenticator::RefreshAfterUnauthorized(const HttpRequest& request) {
  std::string used = BearerOf(request);
  if (exec_) return exec_->InvalidateToken(used);
  if (!config_.token_file.empty()) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      file_read_at_.reset();  // force a re-read
    }
    auto fresh = ReadTokenFile();
    return fresh.ok() && *fresh != used;
  }
  return false;
}

}  // namespace llm::kube

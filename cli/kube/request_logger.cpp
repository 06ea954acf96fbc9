#include "kube/request_logger.h"
#include "util/strings.h"

#include <algorithm>
#include <array>
#include <cctype>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace llm::kube {
namespace {

constexpr const char* kRedacted = "<redacted>";

bool IsSecretKey(const std::string& key) {
  static constexpr std::array<std::string_view, 9> kKeys = {"token",           "password",   "clientkeydata",
                                                            "client-key-data", "privatekey", "bearertoken",
                                                            "access_token",    "id_token",   "refresh_token"};
  std::string lower = Lower(key);
  return std::find(kKeys.begin(), kKeys.end(), lower) != kKeys.end();
}

/// An environment variable or parameter whose name says it holds a secret
/// (API_TOKEN, DB_PASSWORD, aws_secret_access_key, ...): its value may be
/// inlined in a manifest (--env, --set env.K=V), but never reaches a log.
bool IsSecretName(const std::string& name) {
  static constexpr std::array<std::string_view, 7> kParts = {"token",      "secret", "password", "passwd",
                                                             "credential", "apikey", "api_key"};
  std::string lower = Lower(name);
  return std::any_of(kParts.begin(), kParts.end(),
                     [&](std::string_view part) { return lower.find(part) != std::string::npos; });
}

void RedactJson(nlohmann::json& node) {
  if (node.is_array()) {
    for (auto& item : node) RedactJson(item);
    return;
  }
  if (!node.is_object()) return;
  if (auto kind = node.find("kind"); kind != node.end() && kind->is_string() && *kind == "Secret") {
    for (const char* field : {"data", "stringData"}) {
      if (auto it = node.find(field); it != node.end() && it->is_object()) {
        for (auto& [k, v] : it->items()) v = kRedacted;
      }
    }
    // kubectl's client-side apply annotation holds the whole Secret, data included.
    if (auto md = node.find("metadata"); md != node.end() && md->is_object()) {
      if (auto ann = md->find("annotations"); ann != md->end() && ann->is_object()) {
        if (auto last = ann->find("kubectl.kubernetes.io/last-applied-configuration"); last != ann->end()) {
          *last = kRedacted;
        }
      }
    }
  }
  // {name: API_TOKEN, value: ...}: a container's env entry (or any name/value pair).
  if (auto name = node.find("name"), value = node.find("value"); name != node.end() && value != node.end() &&
                                                                 name->is_string() && value->is_string() &&
                                                                 IsSecretName(name->get<std::string>())) {
    *value = kRedacted;
  }
  for (auto& [key, value] : node.items()) {
    if (IsSecretKey(key) && value.is_string()) {
      value = kRedacted;
    } else {
      RedactJson(value);
    }
  }
}

const char* ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "";
  }
}

}  // namespace

std::string RedactHeaderValue(std::string_view name, std::string_view value) {
  std::string lower = Lower(name);
  if (lower == "authorization" || lower == "proxy-authorization") {
    // client-go maskValue: keep the scheme so -v output still shows which auth was used.
    auto space = value.find(' ');
    if (space != std::string_view::npos) return fmt::format("{} <masked>", value.substr(0, space));
    return "<masked>";
  }
  if (lower == "cookie" || lower == "set-cookie" || lower == "x-auth-token") return "<masked>";
  return std::string(value);
}

std::string RedactBody(std::string_view body) {
  nlohmann::json doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return std::string(body);
  RedactJson(doc);
  return doc.dump();
}

RequestLogger::RequestLogger(std::ostream* out, int verbosity, std::string server)
    : out_(out), verbosity_(verbosity), server_(std::move(server)) {}

void RequestLogger::LogRequest(const HttpRequest& request) const {
  if (out_ == nullptr || verbosity_ < 7) return;
  std::lock_guard<std::mutex> lock(mu_);
  *out_ << fmt::format("{} {}{}\n", request.method, server_, request.path);
  *out_ << "Request Headers:\n";
  for (const auto& [name, value] : request.headers) {
    *out_ << fmt::format("    {}: {}\n", name, RedactHeaderValue(name, value));
  }
  if (verbosity_ >= 8 && !request.body.empty()) *out_ << "Request Body: " << RedactBody(request.body) << "\n";
}

void RequestLogger::LogResponse(const HttpRequest& request, const Result<HttpResponse>& outcome,
                                std::chrono::milliseconds latency) const {
  if (out_ == nullptr || verbosity_ < 6) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (!outcome.ok()) {
    *out_ << fmt::format("{} {}{} in {} milliseconds: {}\n", request.method, server_, request.path, latency.count(),
                         outcome.error().message());
    return;
  }
  const HttpResponse& response = *outcome;
  // The body's size is kubectl's line's one addition: what a request cost in
  // data (history's metadata-only list against a full one) shows at -v=6.
  *out_ << fmt::format("{} {}{} {} {} in {} milliseconds, {} bytes\n", request.method, server_, request.path,
                       response.status, ReasonPhrase(response.status), latency.count(), response.body.size());
  if (verbosity_ >= 7) {
    *out_ << "Response Headers:\n";
    for (const auto& [name, value] : response.headers) {
      *out_ << fmt::format("    {}: {}\n", name, RedactHeaderValue(name, value));
    }
  }
  if (verbosity_ >= 8 && !response.body.empty()) {
    std::string body = RedactBody(response.body);
    if (verbosity_ < 9 && body.size() > 1024) {
      body = fmt::format("{} [truncated {} chars]", body.substr(0, 1024), body.size() - 1024);
    }
    *out_ << "Response Body: " << body << "\n";
  }
}

}  // namespace llm::kube

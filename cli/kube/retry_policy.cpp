#include "kube/retry_policy.h"

#include <algorithm>
#include <string_view>

namespace llm::kube {

std::optional<int> RetryAfterSeconds(const HttpResponse& response) {
  std::string value = response.Header("Retry-After");
  if (value.empty() || value.size() > 6 || value.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoi(value);
}

std::chrono::milliseconds RetryPolicy::Backoff(int attempt) const {
  auto delay = base_backoff;
  for (int i = 0; i < attempt && delay < max_backoff; ++i) delay *= 2;
  return std::min(delay, max_backoff);
}

bool ResendableAfterDrop(const HttpRequest& request) {
  if (request.method == "GET" || request.method == "HEAD") return true;
  const std::string_view path = request.path;
  const size_t query_start = std::min(path.find('?'), path.size());
  const std::string_view resource = path.substr(0, query_start);
  const std::string_view query = path.substr(query_start);  // "" or "?a=b&dryRun=All"
  const bool review =
      request.method == "POST" && resource.ends_with("reviews") &&
      (resource.starts_with("/apis/authentication.k8s.io/") || resource.starts_with("/apis/authorization.k8s.io/"));
  const bool dry_run =
      query.find("?dryRun=All") != std::string_view::npos || query.find("&dryRun=All") != std::string_view::npos;
  return review || dry_run;
}

RetryDecision RetryPolicy::Decide(const HttpRequest& request, const Result<HttpResponse>& outcome, int attempt) const {
  if (attempt >= max_retries) return {};
  if (!outcome.ok()) {
    if (ResendableAfterDrop(request) && IsProbableEOF(outcome.error())) return {true, Backoff(attempt)};
    return {};
  }
  const HttpResponse& response = *outcome;
  std::optional<int> retry_after = RetryAfterSeconds(response);
  bool retryable = response.status == 429 || (response.status >= 500 && retry_after.has_value());
  if (!retryable) return {};
  std::chrono::milliseconds wait = Backoff(attempt);
  if (retry_after) {
    std::chrono::milliseconds asked = std::chrono::seconds(*retry_after);
    if (asked > max_retry_after) return {};
    wait = std::max(wait, asked);
  }
  return {true, wait};
}

}  // namespace llm::kube

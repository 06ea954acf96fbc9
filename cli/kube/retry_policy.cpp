#include "kube/retry_policy.h"

#include <algorithm>

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

RetryDecision RetryPolicy::Decide(const std::string& method, const Result<HttpResponse>& outcome, int attempt) const {
  if (attempt >= max_retries) return {};
  if (!outcome.ok()) {
    bool read = method == "GET" || method == "HEAD";
    if (read && IsProbableEOF(outcome.error())) return {true, Backoff(attempt)};
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

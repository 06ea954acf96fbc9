// RetryPolicy: whether and when a failed request is sent again (client-go
// rest/with_retry.go, with bounds of our own). Pure decisions; the rest client
// does the waiting through a Clock.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "kube/transport.h"
#include "util/result.h"

namespace llm::kube {

struct RetryDecision {
  bool retry = false;
  std::chrono::milliseconds delay{0};
};

class RetryPolicy {
 public:
  /// client-go's limit of 10 retries; waits grow 250ms, 500ms, ... up to 8s,
  /// and never undercut the server's Retry-After.
  int max_retries = 10;
  std::chrono::milliseconds base_backoff{250};
  std::chrono::milliseconds max_backoff{8000};
  /// A Retry-After above this is not waited for: the error is returned instead
  /// of blocking a command for minutes.
  std::chrono::milliseconds max_retry_after{60000};

  /// `attempt` counts retries already made (0 after the first try).
  /// - 429, and 5xx with an integer Retry-After: retried for any method
  ///   (the body is in memory, so every request is replayable), waiting
  ///   max(Retry-After, backoff). A 409 (including SSA conflicts) never is.
  /// - A connection reset or closed before the response (IsProbableEOF):
  ///   retried for requests that change nothing on the server
  ///   (ResendableAfterDrop) only, since a write may have reached the server.
  ///   Every other transport failure (unknown host, a certificate that
  ///   does not verify, connection refused, timeouts) is final at once, as in
  ///   client-go: a retry cannot fix it, and kubectl fails in a fraction of a second.
  RetryDecision Decide(const HttpRequest& request, const Result<HttpResponse>& outcome, int attempt) const;

  std::chrono::milliseconds Backoff(int attempt) const;
};

/// Whether `request` may be sent again after the connection dropped before
/// its answer: reads (GET, HEAD), and writes the server never stores, which
/// answer the same the second time: reviews (SelfSubjectReview, the access
/// and rules reviews: "who am I", "may I") and server dry runs (dryRun=All).
/// `scale` asks who the user is before it records a revision; without this a
/// reset during that POST ended the command (tests/faults: reset-watch).
bool ResendableAfterDrop(const HttpRequest& request);

/// Retry-After in whole seconds (the only form the API server sends).
std::optional<int> RetryAfterSeconds(const HttpResponse& response);

}  // namespace llm::kube

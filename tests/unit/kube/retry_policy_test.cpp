#include "kube/retry_policy.h"

#include <doctest/doctest.h>

namespace llm::kube {
namespace {

using std::chrono::milliseconds;

HttpRequest Request(const std::string& method, const std::string& path) {
  HttpRequest request;
  request.method = method;
  request.path = path;
  return request;
}

Result<HttpResponse> Response(int status, const std::string& retry_after = "") {
  HttpResponse r{status, {}, ""};
  if (!retry_after.empty()) r.headers.emplace_back("Retry-After", retry_after);
  return r;
}

const Error kReset = UnableToConnectError("read tcp 127.0.0.1:50000->127.0.0.1:6443: read: connection reset by peer");

TEST_CASE("retry decisions") {
  RetryPolicy policy;
  struct Case {
    const char* name;
    std::string method;
    Result<HttpResponse> outcome;
    int attempt;
    bool retry;
    long long delay_ms;
  };
  const Case cases[] = {
      {"429 with Retry-After, any verb", "POST", Response(429, "1"), 0, true, 1000},
      {"429 without Retry-After: backoff", "PATCH", Response(429), 0, true, 250},
      {"503 with Retry-After", "DELETE", Response(503, "2"), 0, true, 2000},
      {"500 without Retry-After is final", "GET", Response(500), 0, false, 0},
      {"backoff beats a short Retry-After later on", "GET", Response(429, "1"), 4, true, 4000},
      {"backoff is capped", "GET", Response(429), 9, true, 8000},
      {"bounded: no 11th retry", "GET", Response(429, "1"), 10, false, 0},
      {"Retry-After beyond a minute is not waited for", "GET", Response(429, "120"), 0, false, 0},
      {"non-integer Retry-After on 5xx is final", "GET", Response(503, "Wed, 21 Oct 2026 07:28:00 GMT"), 0, false, 0},
      {"409 (SSA conflict) never", "PATCH", Response(409, "1"), 0, false, 0},
      {"404 never", "GET", Response(404), 0, false, 0},
      {"200 never", "GET", Response(200), 0, false, 0},
      // What client-go retries for GET: IsConnectionReset, IsProbableEOF, IsHTTP2ConnectionLost.
      {"connection reset on GET", "GET", kReset, 0, true, 250},
      {"connection reset during the TLS handshake", "GET", UnableToConnectError("read: connection reset by peer"), 3,
       true, 2000},
      {"EOF (closed before a response) on GET", "GET", UnableToConnectError("EOF"), 0, true, 250},
      {"unexpected EOF (closed inside the body) on GET", "GET", UnableToConnectError("unexpected EOF"), 0, true, 250},
      {"HTTP/2 connection lost on GET", "GET", UnableToConnectError("http2: client connection lost (x)"), 0, true, 250},
      {"connection reset on POST is final", "POST", kReset, 0, false, 0},
      {"EOF on PATCH is final", "PATCH", UnableToConnectError("EOF"), 0, false, 0},
      {"bounded: no 11th retry of a reset", "GET", kReset, 10, false, 0},
      // What a retry cannot fix fails at once.
      {"unknown host is final", "GET", UnableToConnectError("dial tcp: lookup nonexistent.invalid: no such host"), 0,
       false, 0},
      {"unknown certificate authority is final", "GET",
       UnableToConnectError("tls: failed to verify certificate: x509: certificate signed by unknown authority"), 0,
       false, 0},
      {"certificate name mismatch is final", "GET",
       UnableToConnectError("tls: failed to verify certificate: x509: certificate is valid for localhost, not x"), 0,
       false, 0},
      {"expired certificate is final", "GET",
       UnableToConnectError("tls: failed to verify certificate: x509: certificate has expired or is not yet valid"), 0,
       false, 0},
      {"connection refused is final", "GET", ConnectionRefusedError("127.0.0.1:1"), 0, false, 0},
      {"no route to host is final", "GET", UnableToConnectError("dial tcp 10.0.0.1:6443: connect: no route to host"), 0,
       false, 0},
      {"timeouts are final", "GET", UnableToConnectError("Operation timed out", ErrorKind::kTimeout), 0, false, 0},
      {"a timeout mentioning EOF is still a timeout", "GET", Error(ErrorKind::kTimeout, "x: EOF"), 0, false, 0},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    RetryDecision d = policy.Decide(Request(c.method, "/api/v1/pods"), c.outcome, c.attempt);
    CHECK(d.retry == c.retry);
    if (c.retry) CHECK(d.delay.count() == c.delay_ms);
  }
}

TEST_CASE("after a dropped connection, only what changes nothing on the server is sent again") {
  struct Case {
    const char* method;
    const char* path;
    bool resendable;
  };
  const Case cases[] = {
      {"GET", "/api/v1/namespaces/ml/pods?labelSelector=a%3Db", true},
      {"HEAD", "/version", true},
      {"POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", true},
      {"POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", true},
      {"POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", true},
      {"POST", "/apis/authorization.k8s.io/v1/namespaces/ml/localsubjectaccessreviews", true},
      {"POST", "/apis/apps/v1/namespaces/ml/deployments?fieldManager=kubectl-llm&dryRun=All", true},
      {"PATCH", "/apis/apps/v1/namespaces/ml/deployments/chat?dryRun=All&force=true", true},
      // Writes the server stores: a retry could apply them twice.
      {"POST", "/apis/apps/v1/namespaces/ml/deployments?fieldManager=kubectl-llm", false},
      {"PATCH", "/apis/apps/v1/namespaces/ml/deployments/chat?fieldManager=kubectl-llm", false},
      {"DELETE", "/api/v1/namespaces/ml/services/chat", false},
      {"POST", "/api/v1/namespaces/ml/serviceaccounts/llm/token", false},
      // Only the query counts, and only the exact value All.
      {"POST", "/api/v1/namespaces/dryRun=All/configmaps", false},
      {"POST", "/api/v1/namespaces/ml/configmaps?nodryRun=All", false},
      // "reviews" outside the review groups is someone's resource that stores.
      {"POST", "/apis/example.com/v1/namespaces/ml/codereviews", false},
  };
  const RetryPolicy policy;
  for (const Case& c : cases) {
    CAPTURE(c.method);
    CAPTURE(c.path);
    const HttpRequest request = Request(c.method, c.path);
    CHECK(ResendableAfterDrop(request) == c.resendable);
    CHECK(policy.Decide(request, kReset, 0).retry == c.resendable);
  }
}

TEST_CASE("Retry-After parsing accepts whole seconds only") {
  CHECK(RetryAfterSeconds(HttpResponse{429, {{"retry-after", "3"}}, ""}) == 3);
  CHECK_FALSE(RetryAfterSeconds(HttpResponse{429, {{"Retry-After", "-1"}}, ""}).has_value());
  CHECK_FALSE(RetryAfterSeconds(HttpResponse{429, {}, ""}).has_value());
}

}  // namespace
}  // namespace llm::kube

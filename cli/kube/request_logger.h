// RequestLogger: kubectl's -v request logging (client-go round_trippers.go)
// with every secret redacted: Authorization and other credential headers,
// tokens and keys in bodies, and the data of Secrets. Exec plugin output never
// reaches it.
#pragma once

#include <chrono>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>

#include "kube/transport.h"
#include "util/result.h"

namespace llm::kube {

/// The header's value as it may be logged ("Bearer <masked>" for credentials).
std::string RedactHeaderValue(std::string_view name, std::string_view value);
/// A body as it may be logged: JSON with Secret data, tokens, passwords,
/// keys, and the values of name/value pairs (env entries) whose name says
/// token, secret, password or credential replaced by "<redacted>"; text that is not JSON is kept as it is
/// (logs, plain errors) since this client only sends JSON.
std::string RedactBody(std::string_view body);

class RequestLogger {
 public:
  /// `out` may be null (no logging). `server` prefixes logged paths.
  RequestLogger(std::ostream* out, int verbosity, std::string server);

  int verbosity() const { return verbosity_; }
  /// -v=7: method, URL and request headers; -v=8: the request body too.
  void LogRequest(const HttpRequest& request) const;
  /// -v=6: "GET URL 200 OK in 12 milliseconds, 5120 bytes" (kubectl's line and
  /// the response body's size, as received); -v=7 adds response headers,
  /// -v=8 the body (truncated at 1 KiB; -v=9 in full).
  void LogResponse(const HttpRequest& request, const Result<HttpResponse>& outcome,
                   std::chrono::milliseconds latency) const;

 private:
  std::ostream* out_;
  mutable std::mutex mu_;  // one request's lines stay together under concurrency
  int verbosity_;
  std::string server_;
};

}  // namespace llm::kube

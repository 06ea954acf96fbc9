// Transport: sends one HTTP request to the API server. The real one is libcurl
// (curl_transport); unit tests use tests/fakes/fake_transport. Nothing above
// this interface knows about libcurl.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/result.h"

namespace llm::kube {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  /// Path and query relative to the server URL, e.g. "/api/v1/namespaces?limit=500".
  std::string path;
  Headers headers;
  std::string body;
  /// Whole-request limit; zero means none (watches, follow logs).
  std::chrono::milliseconds timeout{0};
  /// For Stream(): asked while the response is open (about once a second when
  /// no data comes); true ends the stream as if the sink had asked to stop.
  /// This is how another thread ends a quiet watch without waiting for data.
  std::function<bool()> cancelled;
};

struct HttpResponse {
  int status = 0;
  Headers headers;
  std::string body;

  /// First header with this name, compared case-insensitively; "" when absent.
  std::string Header(std::string_view name) const;
  /// Every value of a repeated header (Warning may come several times).
  std::vector<std::string> HeaderValues(std::string_view name) const;
};

/// Receives a streamed body piece by piece; return false to stop the stream.
using ChunkSink = std::function<bool(std::string_view chunk)>;

class Transport {
 public:
  virtual ~Transport() = default;
  /// Sends the request and returns the whole response. A response with an HTTP
  /// error status is still a response; only failing to get one is an Error
  /// (ErrorKind::kConnection or kTimeout).
  virtual Result<HttpResponse> Do(const HttpRequest& request) = 0;
  /// Sends the request and hands the body to `sink` as it arrives (watch, logs -f).
  /// The returned response has status and headers; its body is empty when the
  /// status was 2xx (the sink had it) and holds the error body otherwise.
  virtual Result<HttpResponse> Stream(const HttpRequest& request, const ChunkSink& sink) = 0;
  /// Sends independent requests together and returns their responses in the
  /// same order, each as Do would. Over HTTP/2 they travel as streams of one
  /// connection: a batch costs one round trip instead of one each. This
  /// default sends them one after another.
  virtual std::vector<Result<HttpResponse>> DoAll(const std::vector<HttpRequest>& requests) {
    std::vector<Result<HttpResponse>> responses;
    responses.reserve(requests.size());
    for (const HttpRequest& request : requests) responses.push_back(Do(request));
    return responses;
  }
};

/// What a Transport returns when nothing listens at the server's address, in
/// kubectl's words ("The connection to the server HOST:PORT was refused - did
/// you specify the right host or port?"). Such failures are not retried.
Error ConnectionRefusedError(std::string_view host_port);
bool IsConnectionRefused(const Error& error);

/// Any other failure to get a response, in kubectl's words: "Unable to connect
/// to the server: " and Go's text for it (e.g. "dial tcp: lookup HOST: no such
/// host", "tls: failed to verify certificate: x509: ...", "EOF").
Error UnableToConnectError(std::string_view go_text, ErrorKind kind = ErrorKind::kConnection);

/// The connection broke before a whole response came: reset by the peer, closed
/// (EOF, unexpected EOF) or an HTTP/2 connection lost. These are the only
/// transport failures client-go retries (for GET: net.IsConnectionReset,
/// IsProbableEOF, IsHTTP2ConnectionLost); a typo in the address, a certificate
/// that does not verify or a refused connection fail at once. Like Go's, the
/// test reads the error's words, so a Transport words these failures as Go does.
bool IsProbableEOF(const Error& error);

}  // namespace llm::kube

// LoopbackHttpServer: a one-thread HTTP/1.1 server on 127.0.0.1 that answers
// each connection with one canned response and records the raw request, so
// CurlTransport's own code (headers, bodies, streaming, TLS, failures) is
// tested for real without a cluster. Connection: close keeps it simple.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace llm::testing {

/// The server's certificate and key (PEM), for a TLS server (HTTP/1.1: no ALPN).
struct LoopbackTls {
  std::string cert_pem;
  std::string key_pem;
};

class LoopbackHttpServer {
 public:
  /// A response piece that ends the connection with a TCP reset (SO_LINGER 0)
  /// instead of a close: the peer's next read fails with ECONNRESET.
  static constexpr const char* kReset = "\x01reset-connection";

  /// Every connection gets this raw HTTP response, written in the given pieces
  /// with a short pause between them (so chunks arrive separately).
  explicit LoopbackHttpServer(std::vector<std::string> response_pieces);
  /// The same over TLS. A client that rejects the certificate ends the
  /// handshake: no request is recorded.
  LoopbackHttpServer(std::vector<std::string> response_pieces, const LoopbackTls& tls);
  ~LoopbackHttpServer();
  LoopbackHttpServer(const LoopbackHttpServer&) = delete;
  LoopbackHttpServer& operator=(const LoopbackHttpServer&) = delete;

  int port() const { return port_; }
  std::string url() const {
    return (tls_ != nullptr ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port_);
  }
  std::vector<std::string> requests() const;
  /// The TLS server name (SNI) each recorded request's client sent ("" for none).
  std::vector<std::string> server_names() const;

 private:
  void Serve();

  int listen_fd_ = -1;
  int port_ = 0;
  std::vector<std::string> pieces_;
  void* tls_ = nullptr;  // SSL_CTX*, kept opaque so tests need no OpenSSL headers
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::vector<std::string> requests_;
  std::vector<std::string> server_names_;
  std::thread thread_;
};

}  // namespace llm::testing

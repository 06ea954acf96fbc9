// LoopbackHttpServer: a one-thread HTTP/1.1 server on 127.0.0.1 that answers
// each connection with one canned response and records the raw request, so
// CurlTransport's own code (headers, bodies, streaming) is tested for real
// without a cluster. Connection: close keeps it simple.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace llm::testing {

class LoopbackHttpServer {
 public:
  /// Every connection gets this raw HTTP response, written in the given pieces
  /// with a short pause between them (so chunks arrive separately).
  explicit LoopbackHttpServer(std::vector<std::string> response_pieces);
  ~LoopbackHttpServer();
  LoopbackHttpServer(const LoopbackHttpServer&) = delete;
  LoopbackHttpServer& operator=(const LoopbackHttpServer&) = delete;

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<std::string> requests() const;

 private:
  void Serve();

  int listen_fd_ = -1;
  int port_ = 0;
  std::vector<std::string> pieces_;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

}  // namespace llm::testing

#include "fakes/loopback_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace llm::testing {
namespace {

SSL_CTX* NewServerContext(const LoopbackTls& tls) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  std::unique_ptr<BIO, decltype(&BIO_free)> cert(
      BIO_new_mem_buf(tls.cert_pem.data(), static_cast<int>(tls.cert_pem.size())), &BIO_free);
  std::unique_ptr<BIO, decltype(&BIO_free)> key(
      BIO_new_mem_buf(tls.key_pem.data(), static_cast<int>(tls.key_pem.size())), &BIO_free);
  std::unique_ptr<X509, decltype(&X509_free)> x509(PEM_read_bio_X509(cert.get(), nullptr, nullptr, nullptr),
                                                   &X509_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(
      PEM_read_bio_PrivateKey(key.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
  if (ctx == nullptr || !x509 || !pkey || SSL_CTX_use_certificate(ctx, x509.get()) != 1 ||
      SSL_CTX_use_PrivateKey(ctx, pkey.get()) != 1) {
    SSL_CTX_free(ctx);
    throw std::runtime_error("LoopbackHttpServer: unusable TLS certificate or key");
  }
  return ctx;
}

}  // namespace

LoopbackHttpServer::LoopbackHttpServer(std::vector<std::string> response_pieces)
    : LoopbackHttpServer(std::move(response_pieces), LoopbackTls{}) {}

LoopbackHttpServer::LoopbackHttpServer(std::vector<std::string> response_pieces, const LoopbackTls& tls)
    : pieces_(std::move(response_pieces)) {
  if (!tls.cert_pem.empty()) tls_ = NewServerContext(tls);
  listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  listen(listen_fd_, 8);
  thread_ = std::thread([this] { Serve(); });
}

LoopbackHttpServer::~LoopbackHttpServer() {
  stop_ = true;
  thread_.join();
  close(listen_fd_);
  SSL_CTX_free(static_cast<SSL_CTX*>(tls_));
}

std::vector<std::string> LoopbackHttpServer::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

std::vector<std::string> LoopbackHttpServer::server_names() const {
  std::lock_guard<std::mutex> lock(mu_);
  return server_names_;
}

void LoopbackHttpServer::Serve() {
  // A client that refuses our certificate hangs up mid-handshake; OpenSSL then
  // writes to a closed socket. Block SIGPIPE on this thread so that write fails
  // with EPIPE instead of killing the test process.
  sigset_t pipe_only;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_only, nullptr);
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    int fd = accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    std::unique_ptr<SSL, decltype(&SSL_free)> ssl(nullptr, &SSL_free);
    if (tls_ != nullptr) {
      ssl.reset(SSL_new(static_cast<SSL_CTX*>(tls_)));
      SSL_set_fd(ssl.get(), fd);
      if (SSL_accept(ssl.get()) != 1) {  // the client refused our certificate
        close(fd);
        continue;
      }
    }
    auto receive = [&](char* buf, size_t size) -> long {
      return ssl ? SSL_read(ssl.get(), buf, static_cast<int>(size)) : read(fd, buf, size);
    };
    auto transmit = [&](const std::string& piece) -> long {
      return ssl ? SSL_write(ssl.get(), piece.data(), static_cast<int>(piece.size()))
                 : send(fd, piece.data(), piece.size(), MSG_NOSIGNAL);
    };
    // Read headers, then Content-Length bytes of body.
    std::string request;
    char buf[4096];
    size_t need = std::string::npos;
    while (true) {
      auto end = request.find("\r\n\r\n");
      if (end != std::string::npos && need == std::string::npos) {
        size_t length = 0;
        auto cl = request.find("Content-Length: ");
        if (cl != std::string::npos && cl < end) length = std::stoul(request.substr(cl + 16));
        need = end + 4 + length;
      }
      if (need != std::string::npos && request.size() >= need) break;
      long n = receive(buf, sizeof(buf));
      if (n <= 0) break;
      request.append(buf, static_cast<size_t>(n));
    }
    if (request.empty()) {  // the client gave up (e.g. on our certificate's name) before asking anything
      close(fd);
      continue;
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.push_back(request);
      const char* sni = ssl ? SSL_get_servername(ssl.get(), TLSEXT_NAMETYPE_host_name) : nullptr;
      server_names_.emplace_back(sni != nullptr ? sni : "");
    }
    bool reset = false;
    for (const std::string& piece : pieces_) {
      if (piece == kReset) {
        linger abort{1, 0};
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort, sizeof(abort));
        reset = true;
        break;
      }
      if (!piece.empty() && transmit(piece) <= 0) break;  // an empty piece is only a pause
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (ssl && !reset) SSL_shutdown(ssl.get());
    close(fd);
  }
}

}  // namespace llm::testing

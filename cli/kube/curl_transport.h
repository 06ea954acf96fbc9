// CurlTransport: the real Transport, on libcurl with OpenSSL. CA, certificate
// and key stay in memory (CURLOPT_*_BLOB); tls-server-name is honoured by
// putting the name in the URL and routing it to the real address
// (CURLOPT_CONNECT_TO, since libcurl cannot set SNI separately); proxies as Go
// picks them; gzip; HTTP/2 when the server offers it; connections reused
// through a pool of easy handles. Watches never get a whole-request timeout:
// TCP keepalive detects a dead peer instead.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "kube/transport.h"
#include "util/environment.h"
#include "util/result.h"

namespace llm::kube {

struct CurlTransportConfig {
  std::string server;  ///< scheme://host[:port][/prefix]
  std::string tls_server_name;
  bool insecure_skip_tls_verify = false;
  std::string ca_data;    ///< PEM; empty = system CAs
  std::string cert_data;  ///< PEM client certificate
  std::string key_data;   ///< PEM client key
  std::string proxy_url;  ///< overrides the proxy environment variables
  bool disable_compression = false;
  /// A client identity that may change between requests (exec plugins that
  /// return certificates), asked before each request; it replaces cert_data
  /// and key_data. libcurl only reuses a connection made with the same
  /// certificate, so a rotated one gets fresh connections.
  std::function<std::optional<std::pair<std::string, std::string>>()> dynamic_client_certificate;
};

/// The proxy Go's net/http would use for `server`: proxy-url, else
/// HTTPS_PROXY/https_proxy (or HTTP_PROXY/http_proxy for http://), never for
/// localhost or loopback addresses. "" means a direct connection. NO_PROXY is
/// left to libcurl (which accepts CIDR since 7.86).
std::string ProxyFor(const std::string& server, const std::string& proxy_url, const Getenv& env);

class CurlTransport final : public Transport {
 public:
  static Result<std::unique_ptr<CurlTransport>> Create(CurlTransportConfig config, const Getenv& env);
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  Result<HttpResponse> Do(const HttpRequest& request) override;
  Result<HttpResponse> Stream(const HttpRequest& request, const ChunkSink& sink) override;

 private:
  CurlTransport(CurlTransportConfig config, std::string url_base, std::string connect_to, std::string host_port,
                std::string proxy, std::string no_proxy);
  Result<HttpResponse> Perform(const HttpRequest& request, const ChunkSink* sink);
  void* Acquire();
  void Release(void* handle);

  CurlTransportConfig config_;
  std::string url_base_;    ///< server URL with tls-server-name as host, when set
  std::string connect_to_;  ///< "name:port:host:port" for CURLOPT_CONNECT_TO
  std::string host_port_;   ///< for kubectl's "connection refused" message
  std::string proxy_;
  std::string no_proxy_;
  std::mutex mu_;
  std::vector<void*> idle_;  // CURL* handles, each keeping its connections alive
};

}  // namespace llm::kube

// CurlTransport: the real Transport, on libcurl with OpenSSL. CA, certificate
// and key stay in memory (CURLOPT_*_BLOB); tls-server-name is honoured by
// putting the name in the URL and routing it to the real address
// (CURLOPT_CONNECT_TO, since libcurl cannot set SNI separately), while the Host
// header (HTTP/2 :authority) stays the server URL's, as Go sends it; proxies as
// Go picks them; gzip; HTTP/2 when the server offers it; plain requests share
// one multi handle's connections, and DoAll sends several at once on them (a
// stream, or a request made while another thread drives the multi handle,
// uses an easy handle of a pool, with its own connections). Watches never get a whole-request timeout:
// TCP keepalive detects a dead peer instead. Failures are worded and
// classified as Go's would be (kube/curl_failure.h).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "kube/curl_failure.h"
#include "kube/system_trust_store.h"
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
  /// All at once through the multi handle: over HTTP/2, streams of one connection.
  std::vector<Result<HttpResponse>> DoAll(const std::vector<HttpRequest>& requests) override;

 private:
  struct Transfer;
  CurlTransport(CurlTransportConfig config, std::string url_base, std::string connect_to, std::string host_port,
                std::string host, std::string proxy, std::string no_proxy);
  Result<HttpResponse> Perform(const HttpRequest& request, const ChunkSink* sink);
  /// Sets up a transfer of `request` on its handle (options, TLS, headers, body).
  void Prepare(Transfer& transfer, const HttpRequest& request, const ChunkSink* sink);
  /// The response of a finished transfer, or the failure in Go's words.
  Result<HttpResponse> Finish(Transfer& transfer, int curl_code);
  /// Runs the transfers on the multi handle until all are done (multi_mu_
  /// held); `codes` gets each one's CURLcode.
  void RunTogether(std::vector<Transfer*>& transfers, std::vector<int>& codes);
  /// CA, client certificate and key (in memory), and verification, on one handle.
  void ConfigureTls(void* handle) const;
  CurlFailure Describe(void* handle, int code, const char* errbuf) const;
  void* Acquire();
  void Release(void* handle);

  CurlTransportConfig config_;
  std::string url_base_;    ///< server URL with tls-server-name as host, when set
  std::string connect_to_;  ///< "name:port:host:port" for CURLOPT_CONNECT_TO
  std::string host_port_;   ///< the URL's host[:port]: Host header, kubectl's messages
  std::string host_;        ///< the URL's host, as dialled
  std::string proxy_;
  std::string no_proxy_;
  SystemTrustStore system_trust_;  ///< for the release's own libcurl when the kubeconfig names no CA
  std::mutex mu_;
  std::vector<void*> idle_;  // CURL* handles, each keeping its connections alive
  /// The CURLM* that runs plain requests, so they share its connections (one,
  /// over HTTP/2) and DoAll's requests go out together; whoever holds multi_mu_
  /// drives it. Null if libcurl could not make one: each request then runs alone.
  void* multi_ = nullptr;
  std::mutex multi_mu_;
};

}  // namespace llm::kube

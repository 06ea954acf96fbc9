#include "kube/curl_transport.h"

#include <openssl/ssl.h>

#include <mutex>
#include <tuple>

#include <fmt/format.h>

#include "kube/curl_library.h"

namespace llm::kube {
namespace {

/// libcurl's functions. Create loads them (and fails when it cannot), and
/// every other caller comes after a Create.
const CurlLibrary& Curl() { return **LoadCurl(); }

// libcurl sets SSL_MODE_RELEASE_BUFFERS, so OpenSSL frees a connection's
// 16 KiB record buffer whenever it is empty and allocates it again for the
// next read. A watch delivering thousands of small events paid that on each
// read, and glibc consolidated its heap for each of those allocations: a
// third of validate-nodes' CPU on 1,000 nodes. The few connections a command
// holds keep their buffers instead.
CURLcode KeepTlsReadBuffers(CURL* /*handle*/, void* ssl_ctx, void* /*user*/) {
  Curl().ssl_ctx_ctrl(ssl_ctx, SSL_CTRL_CLEAR_MODE, SSL_MODE_RELEASE_BUFFERS, nullptr);
  return CURLE_OK;
}

struct UrlParts {
  std::string scheme, host, port, path;
};

Result<UrlParts> ParseUrl(const std::string& url) {
  LLM_RETURN_IF_ERROR(LoadCurl());
  CURLU* u = Curl().url();
  UrlParts parts;
  CURLUcode rc = Curl().url_set(u, CURLUPART_URL, url.c_str(), 0);
  auto get = [&](CURLUPart part, std::string& out, unsigned flags) {
    char* value = nullptr;
    if (Curl().url_get(u, part, &value, flags) == CURLUE_OK && value != nullptr) out = value;
    Curl().free(value);
  };
  if (rc == CURLUE_OK) {
    get(CURLUPART_SCHEME, parts.scheme, 0);
    get(CURLUPART_HOST, parts.host, 0);
    get(CURLUPART_PORT, parts.port, CURLU_DEFAULT_PORT);
    get(CURLUPART_PATH, parts.path, 0);
  }
  Curl().url_cleanup(u);
  if (rc != CURLUE_OK || parts.host.empty() || (parts.scheme != "https" && parts.scheme != "http")) {
    return Error(ErrorKind::kInvalidInput,
                 fmt::format("invalid server URL \"{}\": expected http(s)://host[:port][/path]", url));
  }
  if (parts.path == "/") parts.path.clear();
  while (!parts.path.empty() && parts.path.back() == '/') parts.path.pop_back();
  return parts;
}

/// url.Host as Go prints it: host[:port] exactly as written in the URL.
std::string Authority(const std::string& server) {
  auto start = server.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  auto end = server.find('/', start);
  return server.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

bool IsLoopback(const std::string& host) {
  return host == "localhost" || host.starts_with("127.") || host == "[::1]" || host == "::1";
}

struct Exchange {
  HttpResponse response;
  const ChunkSink* sink = nullptr;
  CURL* handle = nullptr;
  const std::function<bool()>* cancelled = nullptr;
  bool stopped = false;  // the sink asked to stop, or the request was cancelled
};

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  std::string_view line(data, size * count);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.starts_with("HTTP/")) {
    ex->response.headers.clear();  // a new response (after 100 Continue)
  } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    ex->response.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  return size * count;
}

// libcurl calls this often while data flows and about once a second when idle.
int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* ex = static_cast<Exchange*>(user);
  if (ex->cancelled == nullptr || !(*ex->cancelled)()) return 0;
  ex->stopped = true;
  return 1;  // aborts the transfer (CURLE_ABORTED_BY_CALLBACK), reported as a stop
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  size_t n = size * count;
  if (ex->sink != nullptr) {
    long code = 0;
    Curl().easy_getinfo(ex->handle, CURLINFO_RESPONSE_CODE, &code);
    if (code >= 200 && code < 300) {
      if (!(*ex->sink)(std::string_view(data, n))) {
        ex->stopped = true;
        return 0;  // aborts the transfer (CURLE_WRITE_ERROR), which we report as success
      }
      return n;
    }
  }
  ex->response.body.append(data, n);
  return n;
}

class SList {
 public:
  SList() = default;
  ~SList() { Curl().slist_free_all(list_); }
  SList(const SList&) = delete;
  SList& operator=(const SList&) = delete;
  void Append(const std::string& s) { list_ = Curl().slist_append(list_, s.c_str()); }
  curl_slist* get() const { return list_; }

 private:
  curl_slist* list_ = nullptr;
};

/// The leaf certificate's subject alternative names from CURLINFO_CERTINFO, if
/// libcurl gathered them on this transfer.
std::optional<std::vector<std::string>> CertificateNames(CURL* h) {
  curl_certinfo* info = nullptr;
  if (Curl().easy_getinfo(h, CURLINFO_CERTINFO, &info) != CURLE_OK || info == nullptr || info->num_of_certs < 1) {
    return std::nullopt;
  }
  std::vector<std::string> names;
  constexpr std::string_view kField = "X509v3 Subject Alternative Name:";
  for (curl_slist* field = info->certinfo[0]; field != nullptr; field = field->next) {
    std::string_view text = field->data;
    if (!text.starts_with(kField)) continue;
    text.remove_prefix(kField.size());
    while (!text.empty()) {
      auto comma = text.find(',');
      std::string_view name = text.substr(0, comma);
      while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
      while (!name.empty() && (name.back() == ' ' || name.back() == '\n')) name.remove_suffix(1);
      if (!name.empty()) names.emplace_back(name);
      text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    }
  }
  return names;
}

/// A connect limit as Go's dialer (30s) and TCP keepalive probes so a dead
/// peer is noticed; a whole-request limit only when asked for, never on a
/// stream. Plain requests also get a low-speed limit well above the API
/// server's own 60s request timeout.
void SetTimeouts(CURL* h, const HttpRequest& request, bool streaming) {
  Curl().easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 30000L);
  Curl().easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
  Curl().easy_setopt(h, CURLOPT_TCP_KEEPIDLE, 30L);
  Curl().easy_setopt(h, CURLOPT_TCP_KEEPINTVL, 15L);
  if (request.timeout.count() > 0)
    Curl().easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  if (!streaming) {
    Curl().easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
    Curl().easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 120L);
  }
}

/// The body points into `request`, which outlives curl_easy_perform.
void SetMethodAndBody(CURL* h, const HttpRequest& request) {
  if (request.method == "GET") {
    Curl().easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else if (request.method == "HEAD") {
    Curl().easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else {
    Curl().easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT" || request.method == "PATCH") {
      Curl().easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
      Curl().easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
    }
  }
}

}  // namespace

std::string ProxyFor(const std::string& server, const std::string& proxy_url, const Getenv& env) {
  if (!proxy_url.empty()) return proxy_url;
  auto parts = ParseUrl(server);
  if (!parts.ok() || IsLoopback(parts->host)) return "";
  auto first = [&](const char* a, const char* b) {
    if (auto v = env(a); v && !v->empty()) return *v;
    return env(b).value_or("");
  };
  return parts->scheme == "https" ? first("HTTPS_PROXY", "https_proxy") : first("HTTP_PROXY", "http_proxy");
}

Result<std::unique_ptr<CurlTransport>> CurlTransport::Create(CurlTransportConfig config, const Getenv& env) {
  LLM_RETURN_IF_ERROR(LoadCurl());
  LLM_ASSIGN_OR_RETURN(UrlParts parts, ParseUrl(config.server));
  std::string url_base = config.server;
  std::string connect_to;
  if (!config.tls_server_name.empty() && parts.scheme == "https") {
    // The name goes into the URL (SNI and certificate check), the connection to the real address.
    url_base = fmt::format("https://{}:{}{}", config.tls_server_name, parts.port, parts.path);
    connect_to = fmt::format("{}:{}:{}:{}", config.tls_server_name, parts.port, parts.host, parts.port);
  } else {
    url_base = fmt::format("{}://{}{}", parts.scheme, Authority(config.server), parts.path);
  }
  std::string proxy = ProxyFor(config.server, config.proxy_url, env);
  std::string no_proxy;
  if (config.proxy_url.empty()) {
    if (auto v = env("NO_PROXY"); v && !v->empty())
      no_proxy = *v;
    else
      no_proxy = env("no_proxy").value_or("");
  }
  std::string host_port = Authority(config.server);
  bool needs_system_trust =
      Curl().needs_system_trust_store && config.ca_data.empty() && !config.insecure_skip_tls_verify;
  std::unique_ptr<CurlTransport> transport(
      new CurlTransport(std::move(config), std::move(url_base), std::move(connect_to), std::move(host_port),
                        std::move(parts.host), std::move(proxy), std::move(no_proxy)));
  if (needs_system_trust) transport->system_trust_ = FindSystemTrustStore(env, ReadableFile);
  return transport;
}

CurlTransport::CurlTransport(CurlTransportConfig config, std::string url_base, std::string connect_to,
                             std::string host_port, std::string host, std::string proxy, std::string no_proxy)
    : config_(std::move(config)),
      url_base_(std::move(url_base)),
      connect_to_(std::move(connect_to)),
      host_port_(std::move(host_port)),
      host_(std::move(host)),
      proxy_(std::move(proxy)),
      no_proxy_(std::move(no_proxy)),
      multi_(Curl().multi_init()) {}

CurlTransport::~CurlTransport() {
  if (multi_ != nullptr) Curl().multi_cleanup(static_cast<CURLM*>(multi_));  // closes the connections it holds
  for (void* handle : idle_) Curl().easy_cleanup(handle);
}

void* CurlTransport::Acquire() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      void* handle = idle_.back();
      idle_.pop_back();
      Curl().easy_reset(handle);  // keeps its live connections and TLS sessions
      return handle;
    }
  }
  return Curl().easy_init();
}

void CurlTransport::Release(void* handle) {
  std::lock_guard<std::mutex> lock(mu_);
  idle_.push_back(handle);
}

Result<HttpResponse> CurlTransport::Do(const HttpRequest& request) { return Perform(request, nullptr); }

Result<HttpResponse> CurlTransport::Stream(const HttpRequest& request, const ChunkSink& sink) {
  return Perform(request, &sink);
}

void CurlTransport::ConfigureTls(void* handle) const {
  CURL* h = handle;
  // TLS material stays in memory: the CA blob points into config_, which
  // outlives every request; certificate and key are copied by libcurl.
  curl_blob ca{const_cast<char*>(config_.ca_data.data()), config_.ca_data.size(), CURL_BLOB_NOCOPY};
  std::string cert_pem = config_.cert_data;
  std::string key_pem = config_.key_data;
  if (config_.dynamic_client_certificate) {
    if (auto identity = config_.dynamic_client_certificate()) std::tie(cert_pem, key_pem) = *identity;
  }
  curl_blob cert{cert_pem.data(), cert_pem.size(), CURL_BLOB_COPY};
  curl_blob key{key_pem.data(), key_pem.size(), CURL_BLOB_COPY};
  if (config_.insecure_skip_tls_verify) {
    Curl().easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
    Curl().easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
  } else {
    if (!config_.ca_data.empty()) {
      // Only the configured CA, as Go does when a CA is given.
      Curl().easy_setopt(h, CURLOPT_CAINFO, nullptr);
      Curl().easy_setopt(h, CURLOPT_CAPATH, nullptr);
      Curl().easy_setopt(h, CURLOPT_CAINFO_BLOB, &ca);
    } else {
      if (!system_trust_.file.empty()) Curl().easy_setopt(h, CURLOPT_CAINFO, system_trust_.file.c_str());
      if (!system_trust_.dir.empty()) Curl().easy_setopt(h, CURLOPT_CAPATH, system_trust_.dir.c_str());
    }
    // The certificate's names, for Go's "certificate is valid for A, B, not X"
    // when the name does not match; read once per new connection.
    Curl().easy_setopt(h, CURLOPT_CERTINFO, 1L);
  }
  if (Curl().ssl_ctx_ctrl != nullptr) Curl().easy_setopt(h, CURLOPT_SSL_CTX_FUNCTION, &KeepTlsReadBuffers);
  if (!cert_pem.empty()) {
    Curl().easy_setopt(h, CURLOPT_SSLCERTTYPE, "PEM");
    Curl().easy_setopt(h, CURLOPT_SSLCERT_BLOB, &cert);
    Curl().easy_setopt(h, CURLOPT_SSLKEYTYPE, "PEM");
    Curl().easy_setopt(h, CURLOPT_SSLKEY_BLOB, &key);
  }
}

/// One request in flight: its handle and everything libcurl reads while it
/// runs (callbacks' state, error buffer, URL, header lists), which must stay
/// put until it is done.
struct CurlTransport::Transfer {
  CURL* handle = nullptr;
  Exchange ex;
  char errbuf[CURL_ERROR_SIZE] = {0};
  std::string url;
  SList connect_to;
  SList headers;
};

void CurlTransport::Prepare(Transfer& t, const HttpRequest& request, const ChunkSink* sink) {
  CURL* h = t.handle;
  Exchange& ex = t.ex;
  ex.sink = sink;
  ex.handle = h;
  t.url = url_base_ + request.path;
  Curl().easy_setopt(h, CURLOPT_URL, t.url.c_str());
  Curl().easy_setopt(h, CURLOPT_ERRORBUFFER, t.errbuf);
  Curl().easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  Curl().easy_setopt(h, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
  // Requests sent together wait for the one connection to say whether it
  // multiplexes, rather than each opening its own.
  Curl().easy_setopt(h, CURLOPT_PIPEWAIT, 1L);
  Curl().easy_setopt(h, CURLOPT_HEADERFUNCTION, &OnHeader);
  Curl().easy_setopt(h, CURLOPT_HEADERDATA, &ex);
  Curl().easy_setopt(h, CURLOPT_WRITEFUNCTION, &OnBody);
  Curl().easy_setopt(h, CURLOPT_WRITEDATA, &ex);
  if (sink != nullptr && request.cancelled) {
    ex.cancelled = &request.cancelled;
    Curl().easy_setopt(h, CURLOPT_XFERINFOFUNCTION, &OnProgress);
    Curl().easy_setopt(h, CURLOPT_XFERINFODATA, &ex);
    Curl().easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  }
  if (!config_.disable_compression) Curl().easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");

  SetTimeouts(h, request, /*streaming=*/sink != nullptr);

  ConfigureTls(h);
  if (!connect_to_.empty()) {
    t.connect_to.Append(connect_to_);
    Curl().easy_setopt(h, CURLOPT_CONNECT_TO, t.connect_to.get());
  }
  // Explicit, so libcurl's own (lowercase-only) environment lookup is not used.
  Curl().easy_setopt(h, CURLOPT_PROXY, proxy_.c_str());
  if (!no_proxy_.empty()) Curl().easy_setopt(h, CURLOPT_NOPROXY, no_proxy_.c_str());

  for (const auto& [name, value] : request.headers) t.headers.Append(name + ": " + value);
  // The URL names tls-server-name (for SNI and the certificate check), but Go
  // sends the server URL's host as Host (HTTP/2 :authority, which libcurl takes
  // from this header): virtual hosts and proxies in front of the API server
  // route on it.
  if (!connect_to_.empty()) t.headers.Append("Host: " + host_port_);
  t.headers.Append("Expect:");  // no 100-continue round trip for bodies
  Curl().easy_setopt(h, CURLOPT_HTTPHEADER, t.headers.get());

  SetMethodAndBody(h, request);
}

Result<HttpResponse> CurlTransport::Finish(Transfer& t, int code) {
  const auto rc = static_cast<CURLcode>(code);
  long status = 0;
  Curl().easy_getinfo(t.handle, CURLINFO_RESPONSE_CODE, &status);
  t.ex.response.status = static_cast<int>(status);
  if (rc == CURLE_OK || ((rc == CURLE_WRITE_ERROR || rc == CURLE_ABORTED_BY_CALLBACK) && t.ex.stopped)) {
    return std::move(t.ex.response);
  }
  return CurlFailureError(Describe(t.handle, rc, t.errbuf));
}

void CurlTransport::RunTogether(std::vector<Transfer*>& transfers, std::vector<int>& codes) {
  auto* multi = static_cast<CURLM*>(multi_);
  codes.assign(transfers.size(), CURLE_OK);
  std::vector<bool> done(transfers.size(), false);
  size_t left = transfers.size();
  for (size_t i = 0; i < transfers.size(); ++i) {
    if (Curl().multi_add_handle(multi, transfers[i]->handle) != CURLM_OK) {
      codes[i] = CURLE_FAILED_INIT;  // never started, so never reported done: count it out now
      done[i] = true;
      --left;
    }
  }
  while (left > 0) {
    int running = 0;
    CURLMcode mc = Curl().multi_perform(multi, &running);
    int queued = 0;
    while (CURLMsg* msg = Curl().multi_info_read(multi, &queued)) {
      if (msg->msg != CURLMSG_DONE) continue;
      for (size_t i = 0; i < transfers.size(); ++i) {
        if (done[i] || transfers[i]->handle != msg->easy_handle) continue;
        codes[i] = msg->data.result;
        done[i] = true;
        Curl().multi_remove_handle(multi, msg->easy_handle);
        --left;
      }
    }
    if (mc == CURLM_OK && left > 0) mc = Curl().multi_poll(multi, nullptr, 0, 1000, nullptr);
    if (mc != CURLM_OK) {
      // The multi handle itself failed (out of memory): what is still running fails with it.
      for (size_t i = 0; i < transfers.size(); ++i) {
        if (done[i]) continue;
        Curl().multi_remove_handle(multi, transfers[i]->handle);
        codes[i] = CURLE_OUT_OF_MEMORY;
      }
      return;
    }
  }
}

Result<HttpResponse> CurlTransport::Perform(const HttpRequest& request, const ChunkSink* sink) {
  CURL* h = Acquire();
  if (h == nullptr) return Error(ErrorKind::kInternal, "curl_easy_init failed");
  struct Releaser {
    CurlTransport* self;
    CURL* handle;
    ~Releaser() { self->Release(handle); }
  } releaser{this, h};

  Transfer t;
  t.handle = h;
  Prepare(t, request, sink);
  // A plain request goes through the shared multi handle, on the connection the
  // others use, unless another thread is driving it; a stream (a watch, logs -f)
  // holds its connection for as long as it runs, so it keeps one of its own.
  std::unique_lock<std::mutex> multi(multi_mu_, std::defer_lock);
  if (sink == nullptr && multi_ != nullptr && multi.try_lock()) {
    std::vector<Transfer*> one{&t};
    std::vector<int> codes;
    RunTogether(one, codes);
    return Finish(t, codes[0]);
  }
  return Finish(t, Curl().easy_perform(h));
}

std::vector<Result<HttpResponse>> CurlTransport::DoAll(const std::vector<HttpRequest>& requests) {
  // Another thread driving the multi handle (a request the server is slow to
  // answer) must not hold these up: then they go one by one, as Do sends them.
  std::unique_lock<std::mutex> multi(multi_mu_, std::try_to_lock);
  if (!multi.owns_lock()) return Transport::DoAll(requests);
  std::vector<std::unique_ptr<Transfer>> transfers;
  std::vector<Transfer*> running;
  for (const HttpRequest& request : requests) {
    auto t = std::make_unique<Transfer>();
    t->handle = Acquire();
    if (t->handle != nullptr) {
      Prepare(*t, request, nullptr);
      running.push_back(t.get());
    }
    transfers.push_back(std::move(t));
  }
  std::vector<int> codes;
  if (multi_ != nullptr) {
    RunTogether(running, codes);
  } else {
    for (Transfer* t : running) codes.push_back(Curl().easy_perform(t->handle));
  }
  std::vector<Result<HttpResponse>> responses;
  size_t next = 0;
  for (auto& t : transfers) {
    if (t->handle == nullptr) {
      responses.emplace_back(Error(ErrorKind::kInternal, "curl_easy_init failed"));
      continue;
    }
    responses.push_back(Finish(*t, codes[next++]));
    Release(t->handle);
  }
  return responses;
}

CurlFailure CurlTransport::Describe(void* handle, int code, const char* errbuf) const {
  CURL* h = handle;
  CurlFailure f;
  f.code = code;
  f.detail = errbuf[0] != '\0' ? std::string(errbuf) : Curl().easy_strerror(static_cast<CURLcode>(code));
  f.host_port = host_port_;
  f.host = host_;
  f.tls_name = config_.tls_server_name.empty() ? host_ : config_.tls_server_name;
  Curl().easy_getinfo(h, CURLINFO_OS_ERRNO, &f.os_errno);
  Curl().easy_getinfo(h, CURLINFO_SSL_VERIFYRESULT, &f.verify_result);
  char* ip = nullptr;
  long port = 0;
  if (Curl().easy_getinfo(h, CURLINFO_LOCAL_IP, &ip) == CURLE_OK && ip != nullptr && *ip != '\0' &&
      Curl().easy_getinfo(h, CURLINFO_LOCAL_PORT, &port) == CURLE_OK && port > 0) {
    f.local = JoinHostPort(ip, port);
  }
  if (Curl().easy_getinfo(h, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip != nullptr && *ip != '\0' &&
      Curl().easy_getinfo(h, CURLINFO_PRIMARY_PORT, &port) == CURLE_OK && port > 0) {
    f.remote = JoinHostPort(ip, port);
  }
  if (code == CURLE_PEER_FAILED_VERIFICATION) f.certificate_names = CertificateNames(h);
  return f;
}

}  // namespace llm::kube

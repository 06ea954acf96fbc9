#include "kube/curl_transport.h"

#include <atomic>
#include <fstream>
#include <sstream>

#include <doctest/doctest.h>

#include "fakes/loopback_http_server.h"

namespace llm::kube {
namespace {

CurlTransportConfig Config(const std::string& server) {
  CurlTransportConfig config;
  config.server = server;
  return config;
}

/// tests/testdata/tls/NAME (generate.sh there): a test CA, and certificates it
/// signed for tls-name.test, localhost and 127.0.0.1 (server.*, expired.*).
std::string Pem(const std::string& name) {
  std::ifstream in(std::string(LLM_TESTDATA_DIR) + "/tls/" + name);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

testing::LoopbackTls ServerTls(const std::string& name) { return {Pem(name + ".crt"), Pem(name + ".key")}; }

const std::vector<std::string> kOk = {"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n", "{}"};

HttpRequest Get(const std::string& path) { return HttpRequest{"GET", path, {}, "", {}, {}}; }

/// GET /version through a new transport for `config`.
Result<HttpResponse> GetVersion(const CurlTransportConfig& config) {
  auto t = CurlTransport::Create(config, MapGetenv({}));
  REQUIRE(t.ok());
  return (*t)->Do(Get("/version"));
}

/// A header's value in the raw request the server received.
std::string Header(const std::string& raw, const std::string& name) {
  auto at = raw.find("\r\n" + name + ": ");
  if (at == std::string::npos) return "<absent>";
  at += name.size() + 4;
  return raw.substr(at, raw.find("\r\n", at) - at);
}

TEST_CASE("proxy choice follows Go: proxy-url, then the upper- or lowercase variable for the scheme") {
  Getenv env = MapGetenv({{"HTTPS_PROXY", "http://upper:3128"},
                          {"https_proxy", "http://lower:3128"},
                          {"http_proxy", "http://plain:3128"}});
  CHECK(ProxyFor("https://api.example:6443", "", env) == "http://upper:3128");
  CHECK(ProxyFor("https://api.example:6443", "socks5://s:1080", env) == "socks5://s:1080");
  CHECK(ProxyFor("http://api.example", "", env) == "http://plain:3128");
  CHECK(ProxyFor("https://api.example", "", MapGetenv({{"https_proxy", "http://lower:3128"}})) == "http://lower:3128");
  CHECK(ProxyFor("https://api.example", "", MapGetenv({})).empty());
}

TEST_CASE("loopback servers never go through an environment proxy") {
  Getenv env = MapGetenv({{"HTTPS_PROXY", "http://upper:3128"}});
  CHECK(ProxyFor("https://127.0.0.1:6443", "", env).empty());
  CHECK(ProxyFor("https://localhost:6443", "", env).empty());
  CHECK(ProxyFor("https://[::1]:6443", "", env).empty());
}

TEST_CASE("an invalid server URL is refused when the transport is built") {
  auto t = CurlTransport::Create(Config("ftp://x"), MapGetenv({}));
  REQUIRE_FALSE(t.ok());
  CHECK(t.error().message().starts_with("invalid server URL \"ftp://x\""));
}

TEST_CASE("a refused connection gives kubectl's message with host:port as written") {
  auto t = CurlTransport::Create(Config("http://127.0.0.1:1"), MapGetenv({}));
  REQUIRE(t.ok());
  auto r = (*t)->Do(HttpRequest{"GET", "/version", {}, "", {}, {}});
  REQUIRE_FALSE(r.ok());
  CHECK(IsConnectionRefused(r.error()));
  CHECK(r.error().message() ==
        "The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?");
}

TEST_CASE("a request goes out with method, path, headers and body - the response comes back whole") {
  testing::LoopbackHttpServer server(
      std::vector<std::string>{"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
                               "Warning: 299 - \"one\"\r\nWarning: 299 - \"two\"\r\n"
                               "Content-Length: 11\r\nConnection: close\r\n\r\n",
                               "{\"ok\":true}"});
  auto t = CurlTransport::Create(Config(server.url() + "/prefix/"), MapGetenv({}));
  REQUIRE(t.ok());
  HttpRequest request{"PATCH",     "/api/v1/x?dryRun=All",  {{"Content-Type", "application/apply-patch+yaml"}},
                      "{\"a\":1}", std::chrono::seconds(5), {}};
  auto r = (*t)->Do(request);
  REQUIRE(r.ok());
  CHECK(r->status == 201);
  CHECK(r->body == "{\"ok\":true}");
  CHECK(r->HeaderValues("warning") == std::vector<std::string>{"299 - \"one\"", "299 - \"two\""});
  std::string sent = server.requests().at(0);
  CHECK(sent.starts_with("PATCH /prefix/api/v1/x?dryRun=All HTTP/1.1\r\n"));
  CHECK(sent.find("Content-Type: application/apply-patch+yaml\r\n") != std::string::npos);
  CHECK(sent.find("Accept-Encoding: ") != std::string::npos);  // gzip offered
  CHECK(sent.ends_with("\r\n\r\n{\"a\":1}"));
}

TEST_CASE("a stream hands chunks over as they arrive, and stops when the sink says so") {
  testing::LoopbackHttpServer server(
      std::vector<std::string>{"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                               "Transfer-Encoding: chunked\r\n\r\n",
                               "6\r\nevent1\r\n", "6\r\nevent2\r\n", "6\r\nevent3\r\n", "0\r\n\r\n"});
  auto t = CurlTransport::Create(Config(server.url()), MapGetenv({}));
  REQUIRE(t.ok());
  std::vector<std::string> chunks;
  auto r = (*t)->Stream(HttpRequest{"GET", "/watch", {}, "", {}, {}}, [&](std::string_view chunk) {
    chunks.emplace_back(chunk);
    return chunks.size() < 2;
  });
  REQUIRE(r.ok());
  CHECK(r->status == 200);
  CHECK(r->body.empty());
  CHECK(chunks == std::vector<std::string>{"event1", "event2"});
}

TEST_CASE("a cancelled stream ends while the server is quiet, as if the sink had stopped") {
  // event2 would come after a quiet spell of several seconds: it is never seen
  // when cancellation ends the stream during that spell.
  std::vector<std::string> pieces = {
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n",
      "6\r\nevent1\r\n"};
  pieces.insert(pieces.end(), 150, "");  // 20 ms each
  pieces.insert(pieces.end(), {"6\r\nevent2\r\n", "0\r\n\r\n"});
  testing::LoopbackHttpServer server(pieces);
  auto t = CurlTransport::Create(Config(server.url()), MapGetenv({}));
  REQUIRE(t.ok());
  std::atomic<bool> cancel{false};
  HttpRequest request{"GET", "/watch", {}, "", {}, [&] { return cancel.load(); }};
  std::vector<std::string> chunks;
  auto r = (*t)->Stream(request, [&](std::string_view chunk) {
    chunks.emplace_back(chunk);
    cancel = true;  // as another thread would, after the first event
    return true;
  });
  REQUIRE(r.ok());
  CHECK(r->status == 200);
  CHECK(chunks == std::vector<std::string>{"event1"});
}

TEST_CASE("a stream's error response keeps its body for the Status") {
  testing::LoopbackHttpServer server(
      std::vector<std::string>{"HTTP/1.1 410 Gone\r\nContent-Type: application/json\r\n"
                               "Content-Length: 17\r\nConnection: close\r\n\r\n",
                               "{\"kind\":\"Status\"}"});
  auto t = CurlTransport::Create(Config(server.url()), MapGetenv({}));
  REQUIRE(t.ok());
  bool called = false;
  auto r = (*t)->Stream(HttpRequest{"GET", "/watch", {}, "", {}, {}}, [&](std::string_view) {
    called = true;
    return true;
  });
  REQUIRE(r.ok());
  CHECK(r->status == 410);
  CHECK(r->body == "{\"kind\":\"Status\"}");
  CHECK_FALSE(called);
}

TEST_CASE("a whole-request timeout is a kTimeout error") {
  testing::LoopbackHttpServer server(std::vector<std::string>{"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n",
                                                              "partial", "", "", "", "", "", "", "", "", ""});
  auto t = CurlTransport::Create(Config(server.url()), MapGetenv({}));
  REQUIRE(t.ok());
  auto r = (*t)->Do(HttpRequest{"GET", "/slow", {}, "", std::chrono::milliseconds(100), {}});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind() == ErrorKind::kTimeout);
  CHECK(r.error().message().starts_with("Unable to connect to the server: "));
}

TEST_CASE("with tls-server-name, SNI and the certificate check use the name, the Host header the server's own") {
  testing::LoopbackHttpServer server(kOk, ServerTls("server"));
  CurlTransportConfig config = Config(server.url());  // https://127.0.0.1:PORT
  config.tls_server_name = "tls-name.test";
  config.ca_data = Pem("ca.crt");
  auto r = GetVersion(config);
  REQUIRE(r.ok());
  CHECK(r->status == 200);
  REQUIRE(server.requests().size() == 1);
  CHECK(server.server_names().at(0) == "tls-name.test");
  CHECK(server.requests().at(0).starts_with("GET /version HTTP/1.1\r\n"));
  CHECK(Header(server.requests().at(0), "Host") == "127.0.0.1:" + std::to_string(server.port()));
}

TEST_CASE("a wrong tls-server-name fails at once with Go's x509 words and the certificate's names") {
  testing::LoopbackHttpServer server(kOk, ServerTls("server"));
  CurlTransportConfig config = Config(server.url());
  config.ca_data = Pem("ca.crt");
  config.tls_server_name = "wrong.test";
  auto r = GetVersion(config);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind() == ErrorKind::kConnection);
  CHECK(r.error().message() ==
        "Unable to connect to the server: tls: failed to verify certificate: x509: certificate is valid for "
        "tls-name.test, localhost, not wrong.test");
  CHECK_FALSE(IsProbableEOF(r.error()));
  CHECK(server.requests().empty());  // no request, no credential, went to a server that did not prove its name

  config.tls_server_name = "10.9.8.7";  // an IP is checked against the IP SANs, as Go lists them
  auto ip = GetVersion(config);
  REQUIRE_FALSE(ip.ok());
  CHECK(ip.error().message() ==
        "Unable to connect to the server: tls: failed to verify certificate: x509: certificate is valid for "
        "127.0.0.1, not 10.9.8.7");
}

TEST_CASE("a certificate from an unknown authority, or an expired one, fails with Go's x509 words") {
  testing::LoopbackHttpServer server(kOk, ServerTls("server"));
  auto r = GetVersion(Config(server.url()));  // system CAs only
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message() ==
        "Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown "
        "authority");
  CHECK_FALSE(IsProbableEOF(r.error()));

  testing::LoopbackHttpServer expired(kOk, ServerTls("expired"));
  CurlTransportConfig config = Config(expired.url());
  config.ca_data = Pem("ca.crt");
  auto e = GetVersion(config);
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().message() ==
        "Unable to connect to the server: tls: failed to verify certificate: x509: certificate has expired or is not "
        "yet valid");
  CHECK(server.requests().empty());
  CHECK(expired.requests().empty());
}

TEST_CASE("a connection closed before the response is EOF, inside the body unexpected EOF: both retryable") {
  testing::LoopbackHttpServer closes(std::vector<std::string>{});
  auto r = GetVersion(Config(closes.url()));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message() == "Unable to connect to the server: EOF");
  CHECK(IsProbableEOF(r.error()));

  testing::LoopbackHttpServer cut(
      std::vector<std::string>{"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", "partial"});
  auto c = GetVersion(Config(cut.url()));
  REQUIRE_FALSE(c.ok());
  CHECK(c.error().message() == "Unable to connect to the server: unexpected EOF");
  CHECK(IsProbableEOF(c.error()));
}

TEST_CASE("a connection reset is worded as Go's, with both ends, and is retryable") {
  testing::LoopbackHttpServer resets(std::vector<std::string>{testing::LoopbackHttpServer::kReset});
  auto r = GetVersion(Config(resets.url()));
  REQUIRE_FALSE(r.ok());
  const std::string& m = r.error().message();
  CHECK(m.starts_with("Unable to connect to the server: read tcp 127.0.0.1:"));
  CHECK(m.ends_with("->127.0.0.1:" + std::to_string(resets.port()) + ": read: connection reset by peer"));
  CHECK(IsProbableEOF(r.error()));
}

}  // namespace
}  // namespace llm::kube

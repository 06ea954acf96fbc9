#include "kube/curl_transport.h"

#include <atomic>

#include <doctest/doctest.h>

#include "fakes/loopback_http_server.h"

namespace llm::kube {
namespace {

CurlTransportConfig Config(const std::string& server) {
  CurlTransportConfig config;
  config.server = server;
  return config;
}

TEST_CASE("proxy choice follows Go: proxy-url, then the upper- or lowercase variable for the scheme") {
  Getenv env = MapGetenv({{"HTTPS_PROXY", "http://upper:3128"}, {"https_proxy", "http://lower:3128"},
                          {"http_proxy", "http://plain:3128"}});
  CHECK(ProxyFor("https://api.example:6443", "", env) == "http://upper:3128");
  CHECK(ProxyFor("https://api.example:6443", "socks5://s:1080", env) == "socks5://s:1080");
  CHECK(ProxyFor("http://api.example", "", env) == "http://plain:3128");
  CHECK(ProxyFor("https://api.example", "", MapGetenv({{"https_proxy", "http://lower:3128"}})) ==
        "http://lower:3128");
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
  testing::LoopbackHttpServer server(std::vector<std::string>{"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
                                       "Warning: 299 - \"one\"\r\nWarning: 299 - \"two\"\r\n"
                                       "Content-Length: 11\r\nConnection: close\r\n\r\n",
                                       "{\"ok\":true}"});
  auto t = CurlTransport::Create(Config(server.url() + "/prefix/"), MapGetenv({}));
  REQUIRE(t.ok());
  HttpRequest request{"PATCH", "/api/v1/x?dryRun=All", {{"Content-Type", "application/apply-patch+yaml"}},
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
  testing::LoopbackHttpServer server(std::vector<std::string>{"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
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
  std::vector<std::string> pieces = {"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
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
  testing::LoopbackHttpServer server(std::vector<std::string>{"HTTP/1.1 410 Gone\r\nContent-Type: application/json\r\n"
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
  testing::LoopbackHttpServer server(std::vector<std::string>{"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", "partial", "", "", "",
                                       "", "", "", "", "", ""});
  auto t = CurlTransport::Create(Config(server.url()), MapGetenv({}));
  REQUIRE(t.ok());
  auto r = (*t)->Do(HttpRequest{"GET", "/slow", {}, "", std::chrono::milliseconds(100), {}});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind() == ErrorKind::kTimeout);
  CHECK(r.error().message().starts_with("Unable to connect to the server: "));
}

}  // namespace
}  // namespace llm::kube

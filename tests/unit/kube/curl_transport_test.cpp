#include "kube/curl_transport.h"

#include <doctest/doctest.h>

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
  auto r = (*t)->Do(HttpRequest{"GET", "/version", {}, "", {}});
  REQUIRE_FALSE(r.ok());
  CHECK(IsConnectionRefused(r.error()));
  CHECK(r.error().message() ==
        "The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?");
}

}  // namespace
}  // namespace llm::kube

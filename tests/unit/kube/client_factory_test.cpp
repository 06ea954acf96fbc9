#include "kube/client_factory.h"

#include <sstream>

#include <doctest/doctest.h>

#include "fakes/fake_clock.h"
#include "fakes/fake_transport.h"

namespace llm::kube {
namespace {

size_t Count(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

struct Fixture {
  std::shared_ptr<testing::FakeTransport> transport = std::make_shared<testing::FakeTransport>();
  std::istringstream in;
  std::ostringstream out, err;
  ClientEnvironment environment;
  ClientConfig config;

  Fixture() {
    environment.transport = transport;
    environment.clock = std::make_shared<testing::FakeClock>();
    config.server = "https://127.0.0.1:6443";
    config.token = "abc";
    transport->On("GET", "/version", testing::FakeTransport::Json(200, R"({"gitVersion":"v1.35.4"})"));
  }
  void TwoRequests() {
    auto client = NewRestClientForConfig(config, 0, IoStreams{in, out, err}, environment);
    REQUIRE(client.ok());
    for (int i = 0; i < 2; ++i) {
      HttpRequest request;
      request.path = "/version";
      REQUIRE((*client)->Do(request).ok());
    }
  }
};

TEST_CASE("TLS verification off (asked for) is said once, on stderr") {
  Fixture f;
  f.config.insecure_skip_tls_verify = true;
  f.TwoRequests();
  CHECK(Count(f.err.str(), std::string("Warning: ") + kInsecureTlsWarning + "\n") == 1);
  CHECK(f.out.str().empty());
}

TEST_CASE("TLS verification on (the default) says nothing") {
  Fixture f;
  f.TwoRequests();
  CHECK(f.err.str().empty());
}

}  // namespace
}  // namespace llm::kube

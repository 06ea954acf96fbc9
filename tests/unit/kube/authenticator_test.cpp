#include "kube/authenticator.h"

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <doctest/doctest.h>

#include "fakes/fake_clock.h"
#include "fakes/fake_process_runner.h"

namespace llm::kube {
namespace {

using testing::ExecReply;
using testing::FakeClock;
using testing::FakeProcessRunner;

std::string HeaderValue(const HttpRequest& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

std::unique_ptr<ExecCredentialProvider> Exec(std::shared_ptr<FakeProcessRunner> runner, FakeClock& clock) {
  ExecConfig exec;
  exec.api_version = "client.authentication.k8s.io/v1";
  exec.command = "plugin";
  exec.interactive_mode = "Never";
  return std::make_unique<ExecCredentialProvider>(exec, ExecClusterInfo{}, runner, clock, false);
}

TEST_CASE("a static token becomes a bearer header - impersonation adds Impersonate-*") {
  FakeClock clock;
  ClientConfig config;
  config.token = "abc";
  config.impersonate = "alice";
  config.impersonate_groups = {"g1", "g2"};
  Authenticator auth(config, nullptr, clock);
  HttpRequest r;
  REQUIRE(auth.Authorize(r).ok());
  CHECK(HeaderValue(r, "Authorization") == "Bearer abc");
  CHECK(HeaderValue(r, "Impersonate-User") == "alice");
  int groups = 0;
  for (const auto& [k, v] : r.headers) groups += k == "Impersonate-Group" ? 1 : 0;
  CHECK(groups == 2);
  CHECK_FALSE(auth.RefreshAfterUnauthorized(r));  // nothing else to try
}

TEST_CASE("basic auth") {
  FakeClock clock;
  ClientConfig config;
  config.username = "admin";
  config.password = "secret";
  Authenticator auth(config, nullptr, clock);
  HttpRequest r;
  REQUIRE(auth.Authorize(r).ok());
  CHECK(HeaderValue(r, "Authorization") == "Basic YWRtaW46c2VjcmV0");
}

TEST_CASE("a token file is re-read after a minute, so a rotated token is picked up") {
  FakeClock clock;
  auto path = std::filesystem::temp_directory_path() / ("llm-token-" + std::to_string(getpid()));
  std::ofstream(path) << "first\n";
  ClientConfig config;
  config.token_file = path.string();
  Authenticator auth(config, nullptr, clock);
  HttpRequest r1;
  REQUIRE(auth.Authorize(r1).ok());
  CHECK(HeaderValue(r1, "Authorization") == "Bearer first");
  std::ofstream(path) << "second\n";
  HttpRequest r2;
  REQUIRE(auth.Authorize(r2).ok());
  CHECK(HeaderValue(r2, "Authorization") == "Bearer first");  // cached within the minute
  clock.Advance(std::chrono::seconds(61));
  HttpRequest r3;
  REQUIRE(auth.Authorize(r3).ok());
  CHECK(HeaderValue(r3, "Authorization") == "Bearer second");

  // After a 401, the file is read at once; a retry helps only if the token changed.
  std::ofstream(path) << "third\n";
  CHECK(auth.RefreshAfterUnauthorized(r3));
  CHECK_FALSE(auth.RefreshAfterUnauthorized(HttpRequest{"GET", "/", {{"Authorization", "Bearer third"}}, "", {}, {}}));
  std::filesystem::remove(path);
  // Briefly missing during rotation: the last token is kept.
  clock.Advance(std::chrono::seconds(61));
  HttpRequest r4;
  REQUIRE(auth.Authorize(r4).ok());
  CHECK(HeaderValue(r4, "Authorization") == "Bearer third");
}

TEST_CASE("an unreadable token file with no token yet is an error") {
  FakeClock clock;
  ClientConfig config;
  config.token_file = "/nonexistent/token";
  Authenticator auth(config, nullptr, clock);
  HttpRequest r;
  auto status = auth.Authorize(r);
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().message().find("/nonexistent/token") != std::string::npos);
}

TEST_CASE("exec credentials are used when nothing else is configured, and skipped with --token") {
  FakeClock clock;
  auto runner = std::make_shared<FakeProcessRunner>();
  runner->Answer(ExecReply("from-exec"));
  Authenticator with_exec(ClientConfig{}, Exec(runner, clock), clock);
  HttpRequest r;
  REQUIRE(with_exec.Authorize(r).ok());
  CHECK(HeaderValue(r, "Authorization") == "Bearer from-exec");

  ClientConfig token;
  token.token = "flag";
  auto unused = std::make_shared<FakeProcessRunner>();
  Authenticator skipped(token, Exec(unused, clock), clock);
  HttpRequest r2;
  REQUIRE(skipped.Authorize(r2).ok());
  CHECK(HeaderValue(r2, "Authorization") == "Bearer flag");
  CHECK(unused->runs() == 0);
}

TEST_CASE("an exec certificate credential adds no header (the transport presents it) and is dropped on 401") {
  FakeClock clock;
  auto runner = std::make_shared<FakeProcessRunner>();
  runner->Answer(kube::ProcessResult{0, R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",)"
                                        R"("status":{"clientCertificateData":"CERT","clientKeyData":"KEY"}})"});
  ClientConfig config;
  config.exec = ExecConfig{};
  CHECK(Authenticator::UsesExec(config));
  std::shared_ptr<ExecCredentialProvider> exec = Exec(runner, clock);
  Authenticator auth(config, exec, clock);
  HttpRequest r;
  REQUIRE(auth.Authorize(r).ok());
  CHECK(HeaderValue(r, "Authorization").empty());
  CHECK(exec->Get()->client_certificate_data == "CERT");
  CHECK(runner->runs() == 1);
  CHECK(auth.RefreshAfterUnauthorized(r));
  CHECK(exec->Get().ok());
  CHECK(runner->runs() == 2);

  config.token = "t";
  CHECK_FALSE(Authenticator::UsesExec(config));
}

}  // namespace
}  // namespace llm::kube

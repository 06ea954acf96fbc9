#include "kube/exec_credential.h"

#include <thread>

#include <doctest/doctest.h>

#include "fakes/fake_clock.h"
#include "fakes/fake_process_runner.h"
#include "util/rfc3339.h"

namespace llm::kube {
namespace {

using testing::ExecReply;
using testing::FakeClock;
using testing::FakeProcessRunner;

ExecConfig V1Exec() {
  ExecConfig exec;
  exec.api_version = "client.authentication.k8s.io/v1";
  exec.command = "my-plugin";
  exec.args = {"token"};
  exec.env = {{"A", "b"}};
  exec.interactive_mode = "Never";
  exec.install_hint = "brew install my-plugin";
  return exec;
}

std::string Rfc3339(std::chrono::system_clock::time_point t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string ExecInfoOf(const ProcessSpec& spec) {
  for (const auto& [k, v] : spec.env) {
    if (k == "KUBERNETES_EXEC_INFO") return v;
  }
  return "";
}

TEST_CASE("the plugin gets its args, env and KUBERNETES_EXEC_INFO - cluster only with provideClusterInfo") {
  auto runner = std::make_shared<FakeProcessRunner>();
  runner->Answer(ExecReply("t1"));
  FakeClock clock;
  ExecClusterInfo cluster{"https://h:6443", "name", false, "PEM", "", false, nlohmann::json{{"audience", "x"}}};
  ExecCredentialProvider provider(V1Exec(), cluster, runner, clock, /*stdin_is_terminal=*/true);
  auto cred = provider.Get();
  REQUIRE(cred.ok());
  CHECK(cred->token == "t1");
  ProcessSpec spec = runner->specs().at(0);
  CHECK(spec.command == "my-plugin");
  CHECK(spec.args == std::vector<std::string>{"token"});
  CHECK(spec.env.at(0) == std::pair<std::string, std::string>{"A", "b"});
  CHECK_FALSE(spec.pass_stdin);  // interactiveMode Never, even on a terminal
  auto info = nlohmann::json::parse(ExecInfoOf(spec));
  CHECK(info == nlohmann::json::parse(R"({"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1",
                                           "spec":{"interactive":false}})"));

  ExecConfig with_cluster = V1Exec();
  with_cluster.provide_cluster_info = true;
  with_cluster.interactive_mode = "IfAvailable";
  auto info2 = nlohmann::json::parse(BuildExecInfo(with_cluster, cluster, true));
  CHECK(info2["spec"]["interactive"] == true);
  CHECK(info2["spec"]["cluster"]["server"] == "https://h:6443");
  CHECK(info2["spec"]["cluster"]["tls-server-name"] == "name");
  CHECK(info2["spec"]["cluster"]["certificate-authority-data"] == "UEVN");  // base64("PEM")
  CHECK(info2["spec"]["cluster"]["config"] == nlohmann::json{{"audience", "x"}});
  CHECK_FALSE(info2["spec"]["cluster"].contains("proxy-url"));
}

TEST_CASE("interactive means stdin is a terminal and the mode allows it") {
  FakeClock clock;
  struct Case {
    const char* mode;
    bool tty;
    bool interactive;
  };
  for (Case c : {Case{"IfAvailable", true, true}, Case{"IfAvailable", false, false}, Case{"Always", true, true},
                 Case{"Never", true, false}}) {
    CAPTURE(c.mode);
    CAPTURE(c.tty);
    auto runner = std::make_shared<FakeProcessRunner>();
    runner->Answer(ExecReply("t"));
    ExecConfig exec = V1Exec();
    exec.interactive_mode = c.mode;
    ExecCredentialProvider provider(exec, {}, runner, clock, c.tty);
    REQUIRE(provider.Get().ok());
    CHECK(runner->specs().at(0).pass_stdin == c.interactive);
    CHECK(nlohmann::json::parse(ExecInfoOf(runner->specs().at(0)))["spec"]["interactive"] == c.interactive);
    // A run nobody types into is bounded; one the user is typing into is not.
    CHECK(runner->specs().at(0).timeout == (c.interactive ? std::chrono::milliseconds(0) : kExecRunLimit));
  }
}

TEST_CASE("a plugin that does not finish in time: the error names --request-timeout") {
  FakeClock clock;
  auto runner = std::make_shared<FakeProcessRunner>();
  runner->Answer(Error(ErrorKind::kTimeout, "my-plugin did not finish within 2 s and was stopped"));
  ExecCredentialProvider provider(V1Exec(), {}, runner, clock, false, kExecExpiryMargin, std::chrono::seconds(2));
  auto cred = provider.Get();
  REQUIRE_FALSE(cred.ok());
  CHECK(runner->specs().at(0).timeout == std::chrono::seconds(2));
  CHECK(cred.error().message().find("exec: my-plugin did not finish within 2 s and was stopped "
                                    "(--request-timeout sets how long the plugin may take)") != std::string::npos);
}

TEST_CASE("configuration errors: apiVersion, interactiveMode") {
  FakeClock clock;
  auto runner = std::make_shared<FakeProcessRunner>();
  runner->Answer(ExecReply("t"));
  struct Case {
    const char* api_version;
    const char* mode;
    bool tty;
    const char* message;
  };
  for (Case c : {Case{"client.authentication.k8s.io/v1alpha1", "Never", false,
                      "exec plugin: invalid apiVersion \"client.authentication.k8s.io/v1alpha1\""},
                 Case{"client.authentication.k8s.io/v1", "", false,
                      "exec plugin: interactiveMode must be specified to use exec authentication plugin"},
                 Case{"client.authentication.k8s.io/v1", "Sometimes", false,
                      "exec plugin: invalid interactiveMode \"Sometimes\""},
                 Case{"client.authentication.k8s.io/v1", "Always", false,
                      "exec plugin cannot support interactive mode: standard input is not a terminal"}}) {
    CAPTURE(c.message);
    ExecConfig exec = V1Exec();
    exec.api_version = c.api_version;
    exec.interactive_mode = c.mode;
    ExecCredentialProvider provider(exec, {}, runner, clock, c.tty);
    auto cred = provider.Get();
    REQUIRE_FALSE(cred.ok());
    CHECK(cred.error().message() == std::string("Unable to connect to the server: getting credentials: ") + c.message);
  }
  CHECK(runner->runs() == 0);
  // v1beta1 defaults interactiveMode to IfAvailable.
  ExecConfig beta = V1Exec();
  beta.api_version = "client.authentication.k8s.io/v1beta1";
  beta.interactive_mode = "";
  auto beta_runner = std::make_shared<FakeProcessRunner>();
  beta_runner->Answer(ExecReply("t", "", "client.authentication.k8s.io/v1beta1"));
  ExecCredentialProvider provider(beta, {}, beta_runner, clock, false);
  CHECK(provider.Get().ok());
}

TEST_CASE("the reply's apiVersion must match the configured one") {
  auto bad = ParseExecCredentialOutput(ExecReply("t", "", "client.authentication.k8s.io/v1beta1").stdout_data,
                                       "client.authentication.k8s.io/v1");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message() ==
        "Unable to connect to the server: getting credentials: exec plugin is configured to use API version "
        "client.authentication.k8s.io/v1, plugin returned version client.authentication.k8s.io/v1beta1");
  CHECK(bad.error().kind() == ErrorKind::kUnauthorized);
}

TEST_CASE("malformed replies are rejected with client-go's reasons") {
  const std::string v = "client.authentication.k8s.io/v1";
  struct Case {
    const char* output;
    const char* reason;
  };
  for (Case c : {Case{"not json", "decoding stdout"},
                 Case{R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential"})",
                      "exec plugin didn't return a status field"},
                 Case{R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{}})",
                      "exec plugin didn't return a token or cert/key pair"},
                 Case{R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",)"
                      R"("status":{"clientCertificateData":"x"}})",
                      "exec plugin returned only certificate or private key, not both"},
                 Case{R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",)"
                      R"("status":{"token":"t","expirationTimestamp":"tomorrow"}})",
                      "invalid expirationTimestamp"}}) {
    CAPTURE(c.output);
    auto r = ParseExecCredentialOutput(c.output, v);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message().find(c.reason) != std::string::npos);
  }
}

TEST_CASE("a missing plugin shows the installHint - a failing one its exit code") {
  FakeClock clock;
  auto runner = std::make_shared<FakeProcessRunner>();
  runner->Answer(Error(ErrorKind::kNotFound, "executable my-plugin not found"));
  ExecCredentialProvider provider(V1Exec(), {}, runner, clock, false);
  auto missing = provider.Get();
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message() ==
        "Unable to connect to the server: getting credentials: exec: executable my-plugin not found\n\n"
        "brew install my-plugin");

  auto failing_runner = std::make_shared<FakeProcessRunner>();
  failing_runner->Answer(ProcessResult{3, ""});
  ExecCredentialProvider failing(V1Exec(), {}, failing_runner, clock, false);
  auto failed = failing.Get();
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().message() ==
        "Unable to connect to the server: getting credentials: exec: executable my-plugin failed with exit code 3");
}

TEST_CASE("the credential is cached until its expiry less the margin, then renewed") {
  FakeClock clock;
  auto runner = std::make_shared<FakeProcessRunner>();
  runner->Answer(ExecReply("first", Rfc3339(clock.Now() + std::chrono::minutes(5))));
  runner->Answer(ExecReply("second"));
  ExecCredentialProvider provider(V1Exec(), {}, runner, clock, false);
  CHECK(provider.Get()->token == "first");
  clock.Advance(std::chrono::minutes(4));
  CHECK(provider.Get()->token == "first");
  CHECK(runner->runs() == 1);
  clock.Advance(std::chrono::seconds(31));  // 29s left, inside the 30s margin
  CHECK(provider.Get()->token == "second");
  CHECK(runner->runs() == 2);
  // No expirationTimestamp: kept for the life of the process.
  clock.Advance(std::chrono::hours(24));
  CHECK(provider.Get()->token == "second");
  CHECK(runner->runs() == 2);
}

TEST_CASE("after a 401 the used token is dropped once - a stale invalidation keeps the newer one") {
  FakeClock clock;
  auto runner = std::make_shared<FakeProcessRunner>();
  runner->Answer(ExecReply("old"));
  runner->Answer(ExecReply("new"));
  ExecCredentialProvider provider(V1Exec(), {}, runner, clock, false);
  CHECK(provider.Get()->token == "old");
  CHECK(provider.InvalidateToken("old"));
  CHECK(provider.Get()->token == "new");
  CHECK(provider.InvalidateToken("old"));  // another request's late 401 for the old token
  CHECK(provider.Get()->token == "new");
  CHECK(runner->runs() == 2);
}

TEST_CASE("concurrent requests share one plugin run") {
  FakeClock clock;
  auto runner = std::make_shared<FakeProcessRunner>();
  runner->Answer(ExecReply("shared"));
  runner->HoldEachRunFor(std::chrono::milliseconds(50));
  ExecCredentialProvider provider(V1Exec(), {}, runner, clock, false);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (provider.Get().ok()) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  CHECK(ok == 8);
  CHECK(runner->runs() == 1);
  CHECK(runner->max_concurrent() == 1);
}

TEST_CASE("RFC 3339 timestamps: Z, fractions, offsets") {
  auto base = ParseRfc3339("2026-11-28T12:00:00Z");
  REQUIRE(base.has_value());
  CHECK(std::chrono::system_clock::to_time_t(*base) == 1795867200);
  CHECK(ParseRfc3339("2026-11-28T12:00:00.123456Z") == base);
  CHECK(ParseRfc3339("2026-11-28T13:30:00+01:30") == base);
  CHECK(ParseRfc3339("2026-11-28T10:00:00-02:00") == base);
  CHECK_FALSE(ParseRfc3339("2026-11-28 12:00:00").has_value());
  CHECK_FALSE(ParseRfc3339("2026-13-28T12:00:00Z").has_value());
  CHECK_FALSE(ParseRfc3339("2026-11-28T12:00:00").has_value());
}

}  // namespace
}  // namespace llm::kube

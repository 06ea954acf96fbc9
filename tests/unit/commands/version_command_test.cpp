#include "commands/version_command.h"

#include <sstream>

#include <doctest/doctest.h>

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>
#include "fakes/run_cli.h"

#include "commands/root_command.h"
#include "fakes/fake_clock.h"
#include "fakes/fake_transport.h"
#include "kube/rest_client_impl.h"
#include "util/build_info.h"

namespace llm {
namespace {

using Captured = testing::CliResult;
constexpr auto Run = testing::RunCli;

constexpr const char* kServerVersion =
    R"({"major":"1","minor":"35","gitVersion":"v1.35.4","gitCommit":"abc","gitTreeState":"clean",)"
    R"("buildDate":"2026-01-01T00:00:00Z","goVersion":"go1.25","compiler":"gc","platform":"linux/amd64"})";

/// A factory whose client answers from a fake transport.
RestClientFactory FakeServer(std::shared_ptr<testing::FakeTransport> transport) {
  return [transport]() -> Result<std::shared_ptr<kube::RestClient>> {
    kube::RestClientOptions options;
    options.server = "https://fake";
    return std::shared_ptr<kube::RestClient>(
        std::make_shared<kube::RestClientImpl>(transport, nullptr, std::make_shared<testing::FakeClock>(), options));
  };
}

struct Ran {
  Status status;
  std::string out;
};

Ran RunWith(const VersionOptions& options, const RestClientFactory& factory) {
  std::istringstream in;
  std::ostringstream out, err;
  Status status = RunVersion(options, factory, IoStreams{in, out, err});
  return {status, out.str()};
}

TEST_CASE("version --client prints the plugin version and commit without a server") {
  Captured r = Run({"version", "--client"});
  CHECK(r.code == 0);
  CHECK(r.out.find("Client Version: " + GetBuildInfo().version) == 0);
  CHECK(r.out.find(GetBuildInfo().git_commit) != std::string::npos);
  CHECK(r.out.find("Server Version") == std::string::npos);
  CHECK(r.err.empty());
}

TEST_CASE("version --client -o json has kubectl's clientVersion fields and no serverVersion") {
  Captured r = Run({"version", "--client", "-o", "json"});
  REQUIRE(r.code == 0);
  auto doc = nlohmann::json::parse(r.out);
  CHECK(doc["clientVersion"]["gitVersion"] == GetBuildInfo().version);
  CHECK(doc["clientVersion"]["gitCommit"] == GetBuildInfo().git_commit);
  CHECK(doc["clientVersion"]["platform"].get<std::string>().find('/') != std::string::npos);
  CHECK_FALSE(doc.contains("serverVersion"));
}

TEST_CASE("version prints the server's version from /version") {
  auto transport = std::make_shared<testing::FakeTransport>();
  transport->On("GET", "/version", testing::FakeTransport::Json(200, kServerVersion));
  Ran r = RunWith({}, FakeServer(transport));
  REQUIRE(r.status.ok());
  CHECK(r.out.find("Client Version: ") == 0);
  CHECK(r.out.find("\nServer Version: v1.35.4\n") != std::string::npos);
}

TEST_CASE("version -o json and -o yaml carry serverVersion with kubectl's fields") {
  auto transport = std::make_shared<testing::FakeTransport>();
  transport->On("GET", "/version", testing::FakeTransport::Json(200, kServerVersion));
  Ran json = RunWith({"json", false}, FakeServer(transport));
  REQUIRE(json.status.ok());
  auto doc = nlohmann::json::parse(json.out);
  CHECK(doc["serverVersion"]["major"] == "1");
  CHECK(doc["serverVersion"]["minor"] == "35");
  CHECK(doc["serverVersion"]["gitVersion"] == "v1.35.4");
  CHECK(doc["serverVersion"]["platform"] == "linux/amd64");

  Ran yaml = RunWith({"yaml", false}, FakeServer(transport));
  REQUIRE(yaml.status.ok());
  YAML::Node node = YAML::Load(yaml.out);
  CHECK(node["serverVersion"]["gitVersion"].as<std::string>() == "v1.35.4");
  // "1" stays a string, as kubectl prints major: "1".
  CHECK(yaml.out.find("major: \"1\"") != std::string::npos);
  CHECK(node["clientVersion"]["gitVersion"].as<std::string>() == GetBuildInfo().version);
}

TEST_CASE("version prints the client version and returns the server error when the server fails") {
  auto transport = std::make_shared<testing::FakeTransport>();
  transport->On("GET", "/version",
                testing::FakeTransport::Json(401, R"({"kind":"Status","apiVersion":"v1","status":"Failure",)"
                                                  R"("message":"Unauthorized","reason":"Unauthorized","code":401})"));
  Ran r = RunWith({}, FakeServer(transport));
  REQUIRE_FALSE(r.status.ok());
  CHECK(r.status.error().kind() == ErrorKind::kUnauthorized);
  CHECK(r.status.error().message() == "You must be logged in to the server (Unauthorized)");
  CHECK(r.out.find("Client Version: ") == 0);
  CHECK(r.out.find("Server Version") == std::string::npos);
}

TEST_CASE("version against a closed port prints kubectl's connection refused message and exits 1") {
  Captured r =
      Run({"version", "--kubeconfig", LLM_TESTDATA_DIR "/kubeconfig/empty.yaml", "--server", "http://127.0.0.1:1"});
  CHECK(r.code == 1);
  CHECK(r.out.find("Client Version: ") == 0);
  CHECK(r.err == "The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?\n");
}

TEST_CASE("version with no configuration at all is an error naming what to pass") {
  Captured r = Run({"version", "--kubeconfig", LLM_TESTDATA_DIR "/kubeconfig/empty.yaml"});
  CHECK(r.code == 1);
  CHECK(r.err.find("error: invalid configuration: no configuration has been provided") == 0);
}

TEST_CASE("version refuses an unknown output format, naming the flag") {
  Captured r = Run({"version", "-o", "table"});
  CHECK(r.code == 2);
  CHECK(r.err ==
        "error: --output must be one of 'yaml', 'json', 'jsonpath=TEMPLATE', 'jsonpath-file=FILE', "
        "'custom-columns=SPEC' or 'custom-columns-file=FILE', got 'table'\n");
}

TEST_CASE("help reads as kubectl llm") {
  Captured r = Run({"--help"});
  CHECK(r.code == 0);
  CHECK(r.out.find("kubectl llm") != std::string::npos);
  CHECK(r.out.find("version") != std::string::npos);
  CHECK(r.out.find("--kubeconfig") != std::string::npos);
}

TEST_CASE("an unknown subcommand is a usage error") {
  Captured r = Run({"frobnicate"});
  CHECK(r.code == 2);
  CHECK(r.err.find("See 'kubectl llm --help'") != std::string::npos);
}

TEST_CASE("a bad flag of a subcommand points at that subcommand's help") {
  Captured serve = Run({"serve", "chat", "--model", "m", "--bogus"});
  CHECK(serve.code == 2);
  CHECK(serve.err ==
        "error: The following argument was not expected: --bogus\nSee 'kubectl llm serve --help' for usage.\n");
  Captured render = Run({"render", "serve", "chat", "--bogus"});
  CHECK(render.code == 2);
  CHECK(render.err.ends_with("See 'kubectl llm render serve --help' for usage.\n"));
}

}  // namespace
}  // namespace llm

#include "commands/version_command.h"

#include <sstream>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "commands/root_command.h"
#include "util/build_info.h"

namespace llm {
namespace {

struct Captured {
  int code;
  std::string out;
  std::string err;
};

Captured Run(const std::vector<std::string>& args) {
  std::istringstream in;
  std::ostringstream out, err;
  int code = RunRootCommand(args, IoStreams{in, out, err});
  return {code, out.str(), err.str()};
}

TEST_CASE("version prints the plugin version and commit") {
  Captured r = Run({"version"});
  CHECK(r.code == 0);
  CHECK(r.out.find("Client Version: " + GetBuildInfo().version) == 0);
  CHECK(r.out.find(GetBuildInfo().git_commit) != std::string::npos);
  CHECK(r.err.empty());
}

TEST_CASE("version -o json has kubectl's clientVersion fields") {
  Captured r = Run({"version", "-o", "json"});
  REQUIRE(r.code == 0);
  auto doc = nlohmann::json::parse(r.out);
  CHECK(doc["clientVersion"]["gitVersion"] == GetBuildInfo().version);
  CHECK(doc["clientVersion"]["gitCommit"] == GetBuildInfo().git_commit);
  CHECK(doc["clientVersion"]["platform"].get<std::string>().find('/') != std::string::npos);
}

TEST_CASE("version refuses an unknown output format, naming the flag") {
  Captured r = Run({"version", "-o", "table"});
  CHECK(r.code == 2);
  CHECK(r.err == "error: --output must be one of 'yaml' or 'json', got 'table'\n");
}

TEST_CASE("help reads as kubectl llm") {
  Captured r = Run({"--help"});
  CHECK(r.code == 0);
  CHECK(r.out.find("kubectl llm") != std::string::npos);
  CHECK(r.out.find("version") != std::string::npos);
}

TEST_CASE("an unknown subcommand is a usage error") {
  Captured r = Run({"frobnicate"});
  CHECK(r.code == 2);
  CHECK(r.err.find("See 'kubectl llm --help'") != std::string::npos);
}

}  // namespace
}  // namespace llm

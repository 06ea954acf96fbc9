// KUBECTL_EXTERNAL_DIFF as kubectl diff reads it, and the program run for
// real (diff(1), sh) on the two directories it is given.
#include "commands/diff_program.h"

#include <filesystem>
#include <sstream>

#include <doctest/doctest.h>

namespace llm {
namespace {

using nlohmann::json;

json ConfigMap(const std::string& name, const std::string& value) {
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata", {{"name", name}, {"namespace", "ml"}}},
          {"data", {{"k", value}}}};
}

TEST_CASE("KUBECTL_EXTERNAL_DIFF: the program, then only the words kubectl keeps (letters, digits, '-', '=')") {
  CHECK_FALSE(ExternalDiffProgram(std::nullopt).has_value());
  CHECK_FALSE(ExternalDiffProgram("").has_value());
  auto colordiff = ExternalDiffProgram("colordiff -N -u --color=always");
  REQUIRE(colordiff.has_value());
  CHECK(colordiff->command == "colordiff");
  CHECK(colordiff->args == std::vector<std::string>{"-N", "-u", "--color=always"});
  auto hostile = ExternalDiffProgram("diff -u; rm -rf / $(id) a/b");
  REQUIRE(hostile.has_value());
  CHECK(hostile->command == "diff");
  CHECK(hostile->args == std::vector<std::string>{"rm", "-rf"});
}

TEST_CASE("KUBECTL_EXTERNAL_DIFF runs on two directories of YAML files, named as kubectl names them") {
  const std::vector<std::pair<json, json>> pairs = {{ConfigMap("a", "1"), ConfigMap("a", "2")},
                                                    {ConfigMap("same", "x"), ConfigMap("same", "x")},
                                                    {json(), ConfigMap("new", "n")}};
  std::ostringstream out;
  auto differs =
      ShowObjectDiffs(pairs, "LIVE", "MERGED", false, out, MapGetenv({{"KUBECTL_EXTERNAL_DIFF", "diff -u -N"}}));
  REQUIRE_MESSAGE(differs.ok(), (differs.ok() ? "" : differs.error().message()));
  CHECK(*differs);
  const std::string text = out.str();
  CHECK(text.find("/LIVE-") != std::string::npos);
  CHECK(text.find("/MERGED-") != std::string::npos);
  CHECK(text.find("/v1.ConfigMap.ml.a\t") != std::string::npos);
  CHECK(text.find("-  k: \"1\"\n+  k: \"2\"\n") != std::string::npos);
  CHECK(text.find("v1.ConfigMap.ml.new") != std::string::npos);  // only MERGED has it: diff -N
  CHECK(text.find("v1.ConfigMap.ml.same") == std::string::npos);

  std::ostringstream none;
  auto same =
      ShowObjectDiffs({pairs[1]}, "LIVE", "MERGED", false, none, MapGetenv({{"KUBECTL_EXTERNAL_DIFF", "diff"}}));
  REQUIRE(same.ok());
  CHECK_FALSE(*same);
  CHECK(none.str().empty());
}

TEST_CASE("KUBECTL_EXTERNAL_DIFF exiting above 1 is an error, and its directories are removed either way") {
  const std::filesystem::path tmp = std::filesystem::temp_directory_path() / "diff-program-test";
  std::filesystem::create_directories(tmp);
  setenv("TMPDIR", tmp.c_str(), 1);
  std::ostringstream out;
  auto failed = ShowObjectDiffs({{ConfigMap("a", "1"), ConfigMap("a", "2")}}, "LIVE", "MERGED", false, out,
                                MapGetenv({{"KUBECTL_EXTERNAL_DIFF", "diff --no-such-flag"}}));
  unsetenv("TMPDIR");
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().message() == "KUBECTL_EXTERNAL_DIFF: diff exited with status 2");
  CHECK(std::filesystem::is_empty(tmp));
  std::filesystem::remove_all(tmp);

  std::ostringstream missing;
  auto absent = ShowObjectDiffs({{ConfigMap("a", "1"), ConfigMap("a", "2")}}, "LIVE", "MERGED", false, missing,
                                MapGetenv({{"KUBECTL_EXTERNAL_DIFF", "no-such-differ-program"}}));
  REQUIRE_FALSE(absent.ok());
  CHECK(absent.error().message().find("KUBECTL_EXTERNAL_DIFF") == 0);
}

TEST_CASE("without KUBECTL_EXTERNAL_DIFF the built-in unified diff, labelled LIVE/ and MERGED/") {
  std::ostringstream out;
  auto differs =
      ShowObjectDiffs({{ConfigMap("a", "1"), ConfigMap("a", "2")}}, "LIVE", "MERGED", false, out, MapGetenv({}));
  REQUIRE(differs.ok());
  CHECK(*differs);
  CHECK(out.str().find("--- LIVE/v1.ConfigMap.ml.a\n+++ MERGED/v1.ConfigMap.ml.a\n") != std::string::npos);
}

}  // namespace
}  // namespace llm

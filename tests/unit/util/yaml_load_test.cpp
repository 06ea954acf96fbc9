#include "util/yaml_load.h"

#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>
#include <string>

#include "render/values.h"
#include "render/workload.h"
#include "util/yaml_document.h"

namespace llm {
namespace {

/// Runs `check` in a child process that SIGALRM ends after 10 s: without the
/// fix the parse never returns, and the test must fail rather than hang.
/// True when the child returned and `check` held.
bool ReturnsInTime(const std::function<bool()>& check) {
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    alarm(10);
    _exit(check() ? 0 : 1);
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// Found by tests/fuzz/values_fuzzer.cpp (corpus/values/finding-stray-comma):
// yaml-cpp 0.7's LoadAll loops for ever on a document that starts with ','.
TEST_CASE("a document starting with ',' is a YAML error with its line, not an endless load") {
  CHECK(ReturnsInTime([] {
    try {
      (void)LoadAllYaml("a: 1\n---\n, b\n");
    } catch (const YAML::ParserException& e) {
      return e.mark.line == 2 && e.msg == "unexpected ',' where a document should start";
    }
    return false;
  }));
  CHECK(ReturnsInTime([] {
    Values values(ServeValueSpecs());
    Status merged = values.MergeFile("# team values\n,--\n", "values.yaml");
    return !merged.ok() && merged.error().message().starts_with("values.yaml: line 2: unexpected ','");
  }));
}

TEST_CASE("LoadAllYaml returns what YAML::LoadAll does for streams it gets through") {
  CHECK(LoadAllYaml("").empty());
  CHECK(LoadAllYaml("---\n---\n---\n").size() == 3);
  CHECK(LoadAllYaml("a: [1\n, 2]\n").size() == 1);
  const auto docs = LoadAllYaml("a: 1\n---\nb: 2\n");
  REQUIRE(docs.size() == 2);
  CHECK(docs[1]["b"].as<int>() == 2);
}

}  // namespace
}  // namespace llm

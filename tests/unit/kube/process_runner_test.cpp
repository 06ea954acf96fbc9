#include "kube/process_runner.h"

#include <doctest/doctest.h>

namespace llm::kube {
namespace {

TEST_CASE("PosixProcessRunner captures stdout, adds env, reports exit codes") {
  PosixProcessRunner runner;
  auto r = runner.Run({"/bin/sh", {"-c", "printf '%s' \"$LLM_TEST_VAR\"; exit 3"}, {{"LLM_TEST_VAR", "hello"}}, false});
  REQUIRE(r.ok());
  CHECK(r->stdout_data == "hello");
  CHECK(r->exit_code == 3);
}

TEST_CASE("PosixProcessRunner looks names up on PATH and keeps the parent environment") {
  PosixProcessRunner runner;
  auto r = runner.Run({"sh", {"-c", "test -n \"$PATH\" && echo ok"}, {}, false});
  REQUIRE(r.ok());
  CHECK(r->stdout_data == "ok\n");
  CHECK(r->exit_code == 0);
}

TEST_CASE("a missing executable is kNotFound") {
  PosixProcessRunner runner;
  auto r = runner.Run({"kubectl-llm-no-such-plugin", {}, {}, false});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind() == ErrorKind::kNotFound);
}

TEST_CASE("without pass_stdin the plugin reads /dev/null") {
  PosixProcessRunner runner;
  auto r = runner.Run({"/bin/sh", {"-c", "cat; echo end"}, {}, false});
  REQUIRE(r.ok());
  CHECK(r->stdout_data == "end\n");
}

}  // namespace
}  // namespace llm::kube

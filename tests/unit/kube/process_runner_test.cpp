#include "kube/process_runner.h"

#include <chrono>

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

TEST_CASE("a run past its timeout is killed and is kTimeout, even when a child keeps stdout open") {
  PosixProcessRunner runner;
  ProcessSpec spec{"/bin/sh", {"-c", "sleep 5 & echo started; exec sleep 30"}, {}, false};
  spec.timeout = std::chrono::milliseconds(300);
  auto start = std::chrono::steady_clock::now();
  auto r = runner.Run(spec);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind() == ErrorKind::kTimeout);
  CHECK(r.error().message() == "/bin/sh did not finish within 0.3 s and was stopped");
}

TEST_CASE("a run within its timeout is unaffected") {
  PosixProcessRunner runner;
  ProcessSpec spec{"/bin/sh", {"-c", "echo ok"}, {}, false};
  spec.timeout = std::chrono::seconds(10);
  auto r = runner.Run(spec);
  REQUIRE(r.ok());
  CHECK(r->stdout_data == "ok\n");
}

}  // namespace
}  // namespace llm::kube

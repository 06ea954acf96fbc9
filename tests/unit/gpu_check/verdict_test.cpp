#include "verdict.h"

#include <doctest/doctest.h>

#include "report_fixtures.h"

namespace llm::gpu_check {
using testing::MakeSeries;

namespace {

TestResult Test(const char* name, TestStatus status, ExitCode code, const char* reason = "") {
  TestResult t;
  t.name = name;
  t.status = status;
  t.code = code;
  t.reason = reason;
  return t;
}

}  // namespace

TEST_CASE("ComputeVerdict: passes and skips give a pass") {
  Report r;
  r.tests = {Test("inventory", TestStatus::kPass, ExitCode::kPass),
             Test("p2p", TestStatus::kSkip, ExitCode::kPass, "needs at least 2 GPUs on the node, found 1")};
  ComputeVerdict(r);
  CHECK(r.verdict.status == TestStatus::kPass);
  CHECK(r.verdict.exit_code == ExitCode::kPass);
  CHECK(r.verdict.failed_tests.empty());
  CHECK(r.verdict.reason.empty());
}

TEST_CASE("ComputeVerdict: the most severe failure sets the exit code") {
  struct Case {
    const char* name;
    std::vector<TestResult> tests;
    ExitCode want;
  };
  const Case cases[] = {
      {"below floor", {Test("hbm", TestStatus::kFail, ExitCode::kBelowFloor, "x")}, ExitCode::kBelowFloor},
      {"timeout beats below floor",
       {Test("hbm", TestStatus::kFail, ExitCode::kBelowFloor), Test("nccl", TestStatus::kTimeout, ExitCode::kTimeout)},
       ExitCode::kTimeout},
      {"corruption beats a CUDA error",
       {Test("p2p", TestStatus::kFail, ExitCode::kCorruption),
        Test("nccl", TestStatus::kError, ExitCode::kRuntimeError)},
       ExitCode::kCorruption},
      {"topology", {Test("inventory", TestStatus::kFail, ExitCode::kTopology)}, ExitCode::kTopology},
      {"an error without a code is a runtime error",
       {Test("hbm", TestStatus::kError, ExitCode::kPass)},
       ExitCode::kRuntimeError},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    Report r;
    r.tests = c.tests;
    ComputeVerdict(r);
    CHECK(r.verdict.status == TestStatus::kFail);
    CHECK(r.verdict.exit_code == c.want);
  }
}

TEST_CASE("ComputeVerdict: reason, failed tests and suspects") {
  Report r;
  TestResult hbm = Test("hbm", TestStatus::kFail, ExitCode::kBelowFloor, "gpu 3 hbm_copy: slow");
  hbm.series = {MakeSeries("hbm_copy", 3, {1}), MakeSeries("hbm_copy", 1, {1}), MakeSeries("hbm_copy", 0, {9})};
  hbm.series[0].status = TestStatus::kFail;
  hbm.series[1].status = TestStatus::kFail;
  TestResult p2p = Test("p2p", TestStatus::kFail, ExitCode::kBelowFloor, "gpu 0->3 p2p_unidir: slow");
  p2p.series = {MakeSeries("p2p_unidir", 0, {1}, 3), MakeSeries("p2p_bidir", 0, {1}, 3)};
  p2p.series[0].status = TestStatus::kFail;
  p2p.series[1].status = TestStatus::kFail;
  r.tests = {hbm, p2p};
  ComputeVerdict(r);
  CHECK(r.verdict.failed_tests == std::vector<std::string>{"hbm", "p2p"});
  CHECK(r.verdict.suspect_gpus == std::vector<int>{1, 3});
  REQUIRE(r.verdict.suspect_links.size() == 1);
  CHECK(r.verdict.suspect_links[0] == SuspectLink{0, 3});
  CHECK(r.verdict.reason == "hbm: gpu 3 hbm_copy: slow (and 1 more)");
}

TEST_CASE("ComputeVerdict: a blocking lint finding is a configuration failure") {
  Report r;
  r.lint = {{"memlock", "warning only", false}, {"dev_shm", "/dev/shm is 64 MiB", true}};
  r.tests = {Test("hbm", TestStatus::kPass, ExitCode::kPass)};
  ComputeVerdict(r);
  CHECK(r.verdict.exit_code == ExitCode::kTopology);
  CHECK(r.verdict.failed_tests == std::vector<std::string>{"lint"});
  CHECK(r.verdict.reason == "lint: /dev/shm is 64 MiB");
}

TEST_CASE("ComputeVerdict: a partial report is never a pass") {
  Report r;
  r.partial = true;
  r.tests = {Test("hbm", TestStatus::kPass, ExitCode::kPass)};
  ComputeVerdict(r);
  CHECK(r.verdict.status == TestStatus::kFail);
  CHECK(r.verdict.exit_code == ExitCode::kTimeout);
  CHECK(r.verdict.reason == "interrupted before every selected test ran");
}

}  // namespace llm::gpu_check

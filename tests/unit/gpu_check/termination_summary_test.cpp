#include "termination_summary.h"

#include <doctest/doctest.h>

#include "evaluate_report.h"
#include "report_fixtures.h"
#include "thresholds.h"

namespace llm::gpu_check {
using testing::HbmTest;

namespace {

Report FailingReport() {
  Report r;
  r.node.node_name = "gpu-node-7";
  r.node.hostname = "pod-xyz";
  r.gpus = testing::H100s(4);
  TestResult inv;
  inv.name = "inventory";
  r.tests = {inv, HbmTest({2900, 2400, 2920, 2910})};
  EvaluateReport(r, BuiltinThresholds());
  return r;
}

}  // namespace

TEST_CASE("SummarizeReport carries the verdict, tests and worst medians") {
  const TerminationSummary s = SummarizeReport(FailingReport());
  CHECK(s.status == TestStatus::kFail);
  CHECK(s.exit_code == 1);
  CHECK(s.exit_reason == "below_floor");
  CHECK(s.reason == "hbm: gpu 1 hbm_copy: 2400.0 GB/s is below the floor of 2500.0 GB/s");
  CHECK(s.node == "gpu-node-7");
  CHECK(s.gpu_count == 4);
  CHECK(s.model == "H100-SXM");
  CHECK(s.tests.at("hbm") == TestStatus::kFail);
  CHECK(s.tests.at("inventory") == TestStatus::kPass);
  CHECK(s.worst.at("hbm_copy") == 2400);
  CHECK(s.suspect_gpus == std::vector<int>{1});
}

TEST_CASE("FormatTerminationSummary round-trips through ParseTerminationSummary") {
  const TerminationSummary s = SummarizeReport(FailingReport());
  const std::string text = FormatTerminationSummary(s);
  CHECK(text.size() <= kTerminationSummaryMaxBytes);
  auto parsed = ParseTerminationSummary(text);
  REQUIRE(parsed.ok());
  CHECK(parsed->status == s.status);
  CHECK(parsed->exit_code == s.exit_code);
  CHECK(parsed->exit_reason == s.exit_reason);
  CHECK(parsed->reason == s.reason);
  CHECK(parsed->node == s.node);
  CHECK(parsed->gpu_count == 4);
  CHECK(parsed->model == "H100-SXM");
  CHECK(parsed->tests == s.tests);
  CHECK(parsed->worst == s.worst);
  CHECK(parsed->suspect_gpus == s.suspect_gpus);
  CHECK_FALSE(parsed->truncated);
}

TEST_CASE("FormatTerminationSummary shrinks to fit and says so") {
  TerminationSummary s;
  s.status = TestStatus::kFail;
  s.exit_code = 1;
  s.reason = std::string(6000, 'r') + "\xc3\xa9";  // ends in a 2-byte UTF-8 character
  for (int i = 0; i < 300; ++i) s.suspect_links.push_back({i % 8, (i + 1) % 8});
  for (int i = 0; i < 8; ++i) s.suspect_gpus.push_back(i);
  s.worst = {{"hbm_copy", 1000}};
  for (std::size_t limit : {std::size_t{4096}, std::size_t{1024}, std::size_t{600}}) {
    CAPTURE(limit);
    const std::string text = FormatTerminationSummary(s, limit);
    CHECK(text.size() <= limit);
    auto parsed = ParseTerminationSummary(text);
    REQUIRE(parsed.ok());
    CHECK(parsed->truncated);
    CHECK(parsed->worst.empty());
    CHECK(parsed->exit_code == 1);
    CHECK(parsed->reason.ends_with("..."));
  }
}

TEST_CASE("ParseTerminationSummary rejects what it cannot trust") {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"exit 1", "termination summary: not a JSON object"},
      {R"({"status":"pass","exit_code":0})", "termination summary: field schema_version is missing or has the wrong type"},
      {R"({"schema_version":2,"status":"pass","exit_code":0})",
       "termination summary: schema_version 2 is not supported (want 1)"},
      {R"({"schema_version":1,"status":"great","exit_code":0})",
       "termination summary: status \"great\" is not a test status"},
      {R"({"schema_version":1,"status":"pass"})", "termination summary: field exit_code is missing or has the wrong type"},
      {R"({"schema_version":1,"status":"pass","exit_code":0,"tests":{"hbm":1}})",
       "termination summary: tests.hbm is not a test status"},
      {R"({"schema_version":1,"status":"fail","exit_code":1,"suspect_links":[[1]]})",
       "termination summary: suspect_links must hold [gpu, peer] pairs"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    auto r = ParseTerminationSummary(c.text);
    REQUIRE_FALSE(r.ok());
    CHECK(r.failure().message() == c.message);
  }
}

TEST_CASE("ParseTerminationSummary ignores fields it does not know") {
  auto r = ParseTerminationSummary(R"({"schema_version":1,"status":"pass","exit_code":0,"future":{"x":1}})");
  REQUIRE(r.ok());
  CHECK(r->status == TestStatus::kPass);
}

}  // namespace llm::gpu_check

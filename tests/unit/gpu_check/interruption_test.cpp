#include "interruption.h"

#include <doctest/doctest.h>

#include "evaluate_report.h"
#include "report_fixtures.h"
#include "report_store.h"

namespace llm::gpu_check {

TEST_CASE("MarkInterrupted: a SIGTERM during p2p keeps what was measured and exits 4") {
  ReportStore store;
  store.Update([](Report& r) { r.gpus = testing::H100s(2); });
  store.FinishTest(testing::HbmTest({2950, 2960}));
  store.BeginTest("p2p", "did not finish");
  store.AddSeries("p2p", testing::MakeSeries("p2p_unidir", 0, {380}, 1));

  Report r = store.Snapshot();
  MarkInterrupted(r, "received SIGTERM");
  EvaluateReport(r, BuiltinThresholds());
  CHECK(r.partial);
  CHECK(r.tests[0].status == TestStatus::kPass);
  CHECK(r.tests[1].status == TestStatus::kTimeout);
  CHECK(r.tests[1].reason == "did not finish (received SIGTERM)");
  CHECK(r.tests[1].series.size() == 1);
  CHECK(r.verdict.exit_code == ExitCode::kTimeout);
  CHECK(r.verdict.reason == "p2p: did not finish (received SIGTERM)");
}

TEST_CASE("MarkInterrupted: between tests the run is still partial, never a pass") {
  Report r;
  r.tests = {testing::HbmTest({2950})};
  r.gpus = testing::H100s(1);
  MarkInterrupted(r, "hbm: deadline of 30.0 s passed");
  EvaluateReport(r, BuiltinThresholds());
  CHECK(r.verdict.exit_code == ExitCode::kTimeout);
  CHECK(r.verdict.reason == "interrupted before every selected test ran");
}

}  // namespace llm::gpu_check

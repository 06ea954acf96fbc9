#include "report_store.h"

#include <doctest/doctest.h>

#include "report_fixtures.h"

namespace llm::gpu_check {

TEST_CASE("ReportStore: a started test reads as timed out until it finishes") {
  ReportStore store;
  store.Update([](Report& r) { r.gpus = testing::H100s(2); });
  store.BeginTest("hbm", "did not finish within 15 s");
  store.AddSeries("hbm", testing::MakeSeries("hbm_copy", 0, {2900}));

  Report partial = store.Snapshot();
  REQUIRE(partial.tests.size() == 1);
  CHECK(partial.tests[0].status == TestStatus::kTimeout);
  CHECK(partial.tests[0].code == ExitCode::kTimeout);
  CHECK(partial.tests[0].reason == "did not finish within 15 s");
  CHECK(partial.tests[0].series.size() == 1);
  CHECK(partial.gpus.size() == 2);

  TestResult done = testing::HbmTest({2900, 2910});
  store.FinishTest(done);
  Report finished = store.Snapshot();
  REQUIRE(finished.tests.size() == 1);
  CHECK(finished.tests[0].status == TestStatus::kPass);
  CHECK(finished.tests[0].series.size() == 2);
}

TEST_CASE("ReportStore: series for an unknown test are dropped, FinishTest appends") {
  ReportStore store;
  store.AddSeries("p2p", testing::MakeSeries("p2p_unidir", 0, {1}, 1));
  CHECK(store.Snapshot().tests.empty());
  TestResult skipped;
  skipped.name = "p2p";
  skipped.status = TestStatus::kSkip;
  store.FinishTest(skipped);
  CHECK(store.Snapshot().tests.at(0).status == TestStatus::kSkip);
}

}  // namespace llm::gpu_check

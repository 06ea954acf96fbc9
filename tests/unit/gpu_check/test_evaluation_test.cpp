#include "test_evaluation.h"

#include <doctest/doctest.h>

#include "report_fixtures.h"

namespace llm::gpu_check {
using testing::HbmTest;
using testing::MakeSeries;

namespace {

EvaluationContext H100Context(int gpus) {
  EvaluationContext ctx;
  for (int i = 0; i < gpus; ++i) {
    ctx.floors.push_back({{"hbm_copy", 2500}, {"p2p_unidir", 330}, {"nccl_busbw", 330}, {"nccl_busbw_nvls", 430}});
  }
  ctx.nccl_floor_ranks = 8;
  return ctx;
}

}  // namespace

TEST_CASE("EvaluateTest: all GPUs above floor and close to the median pass") {
  TestResult t = HbmTest({2900, 2950, 2920, 2910});
  EvaluateTest(t, H100Context(4));
  CHECK(t.status == TestStatus::kPass);
  CHECK(t.code == ExitCode::kPass);
  CHECK(t.reason.empty());
  for (const Series& s : t.series) {
    CHECK(s.status == TestStatus::kPass);
    REQUIRE(s.floor.has_value());
    CHECK(*s.floor == 2500);
  }
  CHECK(t.series[0].stats.median == 2900);
}

TEST_CASE("EvaluateTest: a GPU below its floor fails with exit 1") {
  TestResult t = HbmTest({2900, 2400, 2920, 2910});
  EvaluateTest(t, H100Context(4));
  CHECK(t.status == TestStatus::kFail);
  CHECK(t.code == ExitCode::kBelowFloor);
  CHECK(t.series[1].status == TestStatus::kFail);
  CHECK(t.reason == "gpu 1 hbm_copy: 2400.0 GB/s is below the floor of 2500.0 GB/s");
  CHECK(t.series[0].status == TestStatus::kPass);
}

TEST_CASE("EvaluateTest: an outlier above the floor is still flagged") {
  // 2700 is above the 2500 floor but below 0.85 x the node median 3300.
  TestResult t = HbmTest({3300, 3310, 2700, 3290});
  EvaluateTest(t, H100Context(4));
  CHECK(t.status == TestStatus::kFail);
  CHECK(t.series[2].status == TestStatus::kFail);
  CHECK(t.reason == "gpu 2 hbm_copy: 2700.0 GB/s is below 0.85 x the node median of 3295.0 GB/s");
  CHECK(t.series[0].status == TestStatus::kPass);
}

TEST_CASE("EvaluateTest: no floor for an unknown model, outliers still judged") {
  EvaluationContext ctx;
  ctx.floors.resize(3);  // unknown GPUs: no floors
  TestResult t = HbmTest({100, 101, 50});
  EvaluateTest(t, ctx);
  CHECK_FALSE(t.series[0].floor.has_value());
  CHECK(t.series[2].status == TestStatus::kFail);
  CHECK(t.series[0].status == TestStatus::kPass);
}

TEST_CASE("EvaluateTest: one GPU has no outlier rule") {
  EvaluationContext ctx;
  ctx.floors.resize(1);
  TestResult t = HbmTest({10});
  EvaluateTest(t, ctx);
  CHECK(t.status == TestStatus::kPass);
}

TEST_CASE("EvaluateTest: verification mismatches are corruption and outrank slowness") {
  TestResult t = HbmTest({2900, 2000, 2920});
  t.series[2].mismatches = 17;
  EvaluateTest(t, H100Context(3));
  CHECK(t.status == TestStatus::kFail);
  CHECK(t.code == ExitCode::kCorruption);
  CHECK(t.reason == "gpu 2 hbm_copy: 17 words differ from what was written");
  CHECK(t.series[1].status == TestStatus::kFail);
}

TEST_CASE("EvaluateTest: a series without samples is an error, not a pass") {
  TestResult t = HbmTest({2900});
  t.series.push_back(MakeSeries("hbm_copy", 1, {}));
  EvaluateTest(t, H100Context(2));
  CHECK(t.status == TestStatus::kFail);
  CHECK(t.code == ExitCode::kRuntimeError);
  CHECK(t.series[1].reason == "gpu 1 hbm_copy: no samples were measured");
}

TEST_CASE("EvaluateTest: p2p pairs are judged per metric and named by link") {
  TestResult t;
  t.name = "p2p";
  t.series = {MakeSeries("p2p_unidir", 0, {380}, 1), MakeSeries("p2p_unidir", 1, {200}, 0),
              MakeSeries("p2p_bidir", 0, {700}, 1), MakeSeries("p2p_bidir", 1, {700}, 0)};
  EvaluateTest(t, H100Context(2));
  CHECK(t.status == TestStatus::kFail);
  CHECK(t.reason == "gpu 1->0 p2p_unidir: 200.0 GB/s is below the floor of 330.0 GB/s");
  CHECK(t.series[2].status == TestStatus::kPass);
  CHECK_FALSE(t.series[2].floor.has_value());  // no bidir floor for H100
}

TEST_CASE("EvaluateTest: NCCL floors apply only at the rank count they were set for") {
  for (int ranks : {8, 4}) {
    CAPTURE(ranks);
    TestResult t;
    t.name = "nccl";
    t.nccl_ranks = ranks;
    t.series = {MakeSeries("nccl_busbw", -1, {300, 305, 310})};
    EvaluateTest(t, H100Context(8));
    if (ranks == 8) {
      CHECK(t.status == TestStatus::kFail);
      CHECK(t.reason == "nccl_busbw: 305.0 GB/s is below the floor of 330.0 GB/s");
    } else {
      CHECK(t.status == TestStatus::kPass);
      CHECK_FALSE(t.series[0].floor.has_value());
    }
  }
}

TEST_CASE("EvaluateTest: NCCL wrong elements are corruption") {
  TestResult t;
  t.name = "nccl";
  t.nccl_ranks = 8;
  t.series = {MakeSeries("nccl_busbw_nvls", -1, {470})};
  t.nccl = {{1ULL << 30, true, 4000, 268, 470, 1.75, 3}};
  EvaluateTest(t, H100Context(8));
  CHECK(t.status == TestStatus::kFail);
  CHECK(t.code == ExitCode::kCorruption);
  CHECK(t.reason == "all_reduce 1073741824 bytes in-place: 3 elements differ from the exact sum");
}

TEST_CASE("EvaluateTest: a skipped, errored or timed-out test keeps its status") {
  for (TestStatus st : {TestStatus::kSkip, TestStatus::kError, TestStatus::kTimeout}) {
    TestResult t = HbmTest({2900, 1000});
    t.status = st;
    t.reason = "set by the runner";
    EvaluateTest(t, H100Context(2));
    CHECK(t.status == st);
    CHECK(t.reason == "set by the runner");
    CHECK(t.series[1].status == TestStatus::kFail);  // still judged for the report
  }
}

TEST_CASE("SeriesMeetsFloor") {
  const EvaluationContext ctx = H100Context(1);
  CHECK(SeriesMeetsFloor(MakeSeries("hbm_copy", 0, {2600}), ctx));
  CHECK_FALSE(SeriesMeetsFloor(MakeSeries("hbm_copy", 0, {2400}), ctx));
  CHECK_FALSE(SeriesMeetsFloor(MakeSeries("hbm_copy", 0, {}), ctx));
  CHECK(SeriesMeetsFloor(MakeSeries("h2d_concurrent", 0, {1}), ctx));
}

}  // namespace llm::gpu_check

namespace llm::gpu_check {

TEST_CASE("EvaluateTest: a failure found by the runner stays, with its code and reason") {
  TestResult t;
  t.name = "inventory";
  t.status = TestStatus::kFail;
  t.code = ExitCode::kTopology;
  t.reason = "found 7 GPUs, expected 8";
  EvaluateTest(t, EvaluationContext{});
  CHECK(t.status == TestStatus::kFail);
  CHECK(t.code == ExitCode::kTopology);
  CHECK(t.reason == "found 7 GPUs, expected 8");
  EvaluateTest(t, EvaluationContext{});  // judging twice changes nothing
  CHECK(t.code == ExitCode::kTopology);
  CHECK(t.reason == "found 7 GPUs, expected 8");
}

}  // namespace llm::gpu_check

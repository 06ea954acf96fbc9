#include "measure_retry.h"

#include <doctest/doctest.h>

#include "report_fixtures.h"

namespace llm::gpu_check {

namespace {

EvaluationContext Floors(int gpus) {
  EvaluationContext ctx;
  for (int i = 0; i < gpus; ++i) ctx.floors.push_back({{"hbm_copy", 2500}});
  return ctx;
}

}  // namespace

TEST_CASE("RetryFailingSeries: passes on the first good re-measurement") {
  TestResult t = testing::HbmTest({2900, 2000, 2920});
  std::vector<int> remeasured;
  std::vector<double> answers = {2100, 2890};  // first retry still slow, second good
  auto st = RetryFailingSeries(t, Floors(3), 2, [&](const Series& prev) -> Result<Series> {
    remeasured.push_back(prev.gpu);
    Series s = prev;
    s.samples = {answers.at(remeasured.size() - 1)};
    return s;
  });
  REQUIRE(st.ok());
  CHECK(remeasured == std::vector<int>{1, 1});
  CHECK(t.series[1].samples == std::vector<double>{2890});
  CHECK(t.series[1].attempts == 3);
  CHECK(t.series[0].attempts == 1);
}

TEST_CASE("RetryFailingSeries: at most max_retries, then the failure counts") {
  TestResult t = testing::HbmTest({2900, 2000});
  int calls = 0;
  auto st = RetryFailingSeries(t, Floors(2), 2, [&](const Series& prev) -> Result<Series> {
    ++calls;
    return prev;
  });
  REQUIRE(st.ok());
  CHECK(calls == 2);
  CHECK(t.series[1].attempts == 3);
  EvaluateTest(t, Floors(2));
  CHECK(t.status == TestStatus::kFail);
}

TEST_CASE("RetryFailingSeries: corruption is never retried") {
  TestResult t = testing::HbmTest({2900, 2000});
  t.series[1].mismatches = 1;
  int calls = 0;
  auto st = RetryFailingSeries(t, Floors(2), 2, [&](const Series& prev) -> Result<Series> {
    ++calls;
    return prev;
  });
  REQUIRE(st.ok());
  CHECK(calls == 0);
}

TEST_CASE("RetryFailingSeries: a re-measurement error is returned") {
  TestResult t = testing::HbmTest({2900, 2000});
  auto st = RetryFailingSeries(t, Floors(2), 2, [&](const Series&) -> Result<Series> {
    return Failure(ExitCode::kRuntimeError, "cudaMemcpyAsync: unspecified launch failure");
  });
  REQUIRE_FALSE(st.ok());
  CHECK(st.failure().code() == ExitCode::kRuntimeError);
  CHECK(t.series[1].samples.size() == 3);  // left as it was
}

}  // namespace llm::gpu_check

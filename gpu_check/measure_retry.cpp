#include "measure_retry.h"

namespace llm::gpu_check {
namespace {

/// Indices of series that fail for performance (not corruption, not missing samples).
std::vector<std::size_t> PerformanceFailures(const TestResult& test, const EvaluationContext& context) {
  TestResult judged = test;
  judged.status = TestStatus::kPass;
  judged.code = ExitCode::kPass;
  EvaluateTest(judged, context);
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < judged.series.size(); ++i) {
    const Series& s = judged.series[i];
    if (s.status == TestStatus::kFail && s.mismatches == 0 && !s.samples.empty()) out.push_back(i);
  }
  return out;
}

}  // namespace

Status RetryFailingSeries(TestResult& test, const EvaluationContext& context, int max_retries,
                          const RemeasureFn& remeasure) {
  for (int round = 0; round < max_retries; ++round) {
    const auto failing = PerformanceFailures(test, context);
    if (failing.empty()) break;
    for (std::size_t i : failing) {
      Series& s = test.series[i];
      GC_ASSIGN_OR_RETURN(Series again, remeasure(s));
      again.attempts = s.attempts + 1;
      s = std::move(again);
    }
  }
  return OkStatus();
}

}  // namespace llm::gpu_check

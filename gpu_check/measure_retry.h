// RetryFailingSeries: a failing measurement is measured again at most
// max_retries times before it counts, and passes on the first good attempt
// (Azure NHC's remedy for false positives, azurehpc PR#690). Corrupted data is
// never retried: a wrong word is a finding, not noise.
#pragma once

#include <functional>

#include "report.h"
#include "status.h"
#include "test_evaluation.h"

namespace llm::gpu_check {

/// Measures the series again (same metric, GPU and peer) and returns it.
using RemeasureFn = std::function<Result<Series>(const Series& previous)>;

/// Judges `test` (EvaluateTest on a copy), re-measures each series that failed
/// for performance and replaces it with the new attempt (attempts counts them),
/// until it passes or max_retries is spent. A re-measurement error is returned
/// with the series left as it was. The caller evaluates the final result.
Status RetryFailingSeries(TestResult& test, const EvaluationContext& context, int max_retries,
                          const RemeasureFn& remeasure);

}  // namespace llm::gpu_check

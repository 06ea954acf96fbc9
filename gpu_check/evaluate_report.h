// EvaluateReport: measurements in, verdict out. Matches every GPU to its
// thresholds model, judges each test and computes the node verdict. This is
// the one call the program, and the validate-nodes fixtures, make before
// writing a report.
#pragma once

#include "report.h"
#include "test_evaluation.h"
#include "thresholds.h"

namespace llm::gpu_check {

/// Floors per GPU (by the model each matched) and the outlier ratio.
EvaluationContext MakeEvaluationContext(const std::vector<GpuInfo>& gpus, const ThresholdTable& table);

/// Sets gpus[].model, judges every test and fills report.verdict.
void EvaluateReport(Report& report, const ThresholdTable& table);

}  // namespace llm::gpu_check

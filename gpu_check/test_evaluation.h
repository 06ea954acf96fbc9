// EvaluateTest: turns a test's raw samples into per-series and per-test
// judgements (floors per GPU model, outliers against the node median, data
// verification). Pure function of the data, so every rule is unit-tested.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "health_rules.h"
#include "report.h"

namespace llm::gpu_check {

/// What the evaluation needs to know about the node.
struct EvaluationContext {
  /// floors[gpu][metric] in GB/s, from the thresholds entry each GPU matched.
  std::vector<std::map<std::string, double, std::less<>>> floors;
  /// The NCCL floors hold only for this many ranks (per GPU 0's model); 0: never.
  int nccl_floor_ranks = 0;
  double outlier_ratio = 0.85;
  /// health_rules[gpu]: the health rules of the model each GPU matched.
  std::vector<HealthRules> health_rules = {};
};

/// Judges every series of `test` and sets its status, code and reason.
/// Rules, in order, per series: verification mismatches -> fail (corruption);
/// no samples -> fail (error); median below the GPU model's floor -> fail
/// (below floor); median below outlier_ratio x the median of the same metric's
/// series on this node (at least two series) -> fail (outlier). NCCL points
/// with wrong elements -> corruption. A test that is already skip, error or
/// timeout keeps that status, and one the runner already failed with a code
/// (inventory: GPU count) stays failed; series are still judged for the report.
/// A health section is judged by EvaluateHealth: failing findings fail the
/// test with their codes (the most severe one's message is the reason);
/// warnings leave it passing.
void EvaluateTest(TestResult& test, const EvaluationContext& context);

/// Re-judges one series alone against its floor (no outlier rule), which is
/// what the retry loop can check while other series are still being measured.
bool SeriesMeetsFloor(const Series& series, const EvaluationContext& context);

}  // namespace llm::gpu_check

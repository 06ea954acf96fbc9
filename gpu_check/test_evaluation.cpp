#include "test_evaluation.h"

#include <optional>

#include <fmt/format.h>

#include "health_evaluation.h"
#include "metrics.h"
#include "statistics.h"

namespace llm::gpu_check {
namespace {

std::string SeriesLabel(const Series& s) {
  if (s.gpu < 0) return s.metric;
  if (s.peer >= 0) return fmt::format("gpu {}->{} {}", s.gpu, s.peer, s.metric);
  return fmt::format("gpu {} {}", s.gpu, s.metric);
}

bool IsNcclMetric(const std::string& metric) { return metric == kMetricNcclBusbw || metric == kMetricNcclBusbwNvls; }

std::optional<double> FloorFor(const Series& s, const EvaluationContext& context, int nccl_ranks) {
  const int gpu = s.gpu < 0 ? 0 : s.gpu;
  if (gpu >= static_cast<int>(context.floors.size())) return std::nullopt;
  if (IsNcclMetric(s.metric) && (context.nccl_floor_ranks == 0 || nccl_ranks != context.nccl_floor_ranks)) {
    return std::nullopt;
  }
  const auto& floors = context.floors[static_cast<std::size_t>(gpu)];
  auto it = floors.find(s.metric);
  if (it == floors.end()) return std::nullopt;
  return it->second;
}

void Fail(Series& s, ExitCode code, std::string reason, ExitCode& test_code) {
  s.status = TestStatus::kFail;
  s.reason = std::move(reason);
  test_code = MoreSevere(test_code, code);
}

}  // namespace

bool SeriesMeetsFloor(const Series& series, const EvaluationContext& context) {
  if (series.mismatches > 0 || series.samples.empty()) return false;
  const auto floor = FloorFor(series, context, context.nccl_floor_ranks);
  return !floor || Median(series.samples) >= *floor;
}

void EvaluateTest(TestResult& test, const EvaluationContext& context) {
  ExitCode code = ExitCode::kPass;
  std::string first_reason;
  std::map<std::string, std::vector<double>> medians_by_metric;

  for (Series& s : test.series) {
    s.stats = Summarize(s.samples);
    s.floor = FloorFor(s, context, test.nccl_ranks);
    s.status = TestStatus::kPass;
    s.reason.clear();
    if (s.mismatches > 0) {
      Fail(s, ExitCode::kCorruption,
           fmt::format("{}: {} words differ from what was written", SeriesLabel(s), s.mismatches), code);
    } else if (s.samples.empty()) {
      Fail(s, ExitCode::kRuntimeError, fmt::format("{}: no samples were measured", SeriesLabel(s)), code);
    } else if (s.floor && s.stats.median < *s.floor) {
      Fail(s, ExitCode::kBelowFloor,
           fmt::format("{}: {:.1f} GB/s is below the floor of {:.1f} GB/s", SeriesLabel(s), s.stats.median, *s.floor),
           code);
    }
    if (!s.samples.empty()) medians_by_metric[s.metric].push_back(s.stats.median);
  }

  for (Series& s : test.series) {
    if (s.status != TestStatus::kPass) continue;
    const auto& medians = medians_by_metric[s.metric];
    if (medians.size() < 2) continue;
    const double node_median = Median(medians);
    if (s.stats.median < context.outlier_ratio * node_median) {
      Fail(s, ExitCode::kBelowFloor,
           fmt::format("{}: {:.1f} GB/s is below {:.2f} x the node median of {:.1f} GB/s", SeriesLabel(s),
                       s.stats.median, context.outlier_ratio, node_median),
           code);
    }
  }

  // Corruption is the reason that matters most, so it is the one shown first.
  std::string corruption_reason;
  for (const Series& s : test.series) {
    if (s.status != TestStatus::kFail) continue;
    if (first_reason.empty()) first_reason = s.reason;
    if (s.mismatches > 0 && corruption_reason.empty()) corruption_reason = s.reason;
  }
  for (const NcclPoint& p : test.nccl) {
    if (p.wrong == 0) continue;
    code = MoreSevere(code, ExitCode::kCorruption);
    if (corruption_reason.empty()) {
      corruption_reason = fmt::format("all_reduce {} bytes {}: {} elements differ from the exact sum", p.bytes,
                                      p.in_place ? "in-place" : "out-of-place", p.wrong);
    }
  }
  if (test.health) {
    EvaluateHealth(*test.health, context.health_rules, static_cast<int>(context.floors.size()));
    // The most severe failing finding gives the reason, as corruption does above.
    const HealthFinding* worst = nullptr;
    for (const HealthFinding& f : test.health->findings) {
      if (f.severity != FindingSeverity::kFail) continue;
      code = MoreSevere(code, f.code);
      if (worst == nullptr || ExitCodeSeverity(f.code) > ExitCodeSeverity(worst->code)) worst = &f;
    }
    if (worst != nullptr && corruption_reason.empty()) first_reason = worst->message;
  }
  if (!corruption_reason.empty()) first_reason = corruption_reason;

  if (test.status == TestStatus::kSkip || test.status == TestStatus::kError || test.status == TestStatus::kTimeout) {
    return;  // the runner decided; measured series stay in the report as they are judged
  }
  // A failure the runner found itself (inventory: GPU count, peer access) stays.
  if (test.status == TestStatus::kFail && test.code != ExitCode::kPass) {
    if (!test.reason.empty() && ExitCodeSeverity(test.code) >= ExitCodeSeverity(code)) first_reason = test.reason;
    code = MoreSevere(test.code, code);
  }
  test.code = code;
  test.status = code == ExitCode::kPass ? TestStatus::kPass : TestStatus::kFail;
  test.reason = code == ExitCode::kPass ? std::string() : first_reason;
}

}  // namespace llm::gpu_check

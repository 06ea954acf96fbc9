#include "render_report.h"

namespace llm::gpu_check {

RenderedReport RenderReport(Report report, const ThresholdTable& thresholds) {
  EvaluateReport(report, thresholds);
  RenderedReport out;
  out.document = ToJson(report);
  out.termination_summary = FormatTerminationSummary(SummarizeReport(report));
  out.exit_code = report.verdict.exit_code;
  out.report = std::move(report);
  return out;
}

}  // namespace llm::gpu_check

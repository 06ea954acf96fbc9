#include "evaluate_report.h"

#include "verdict.h"

namespace llm::gpu_check {

EvaluationContext MakeEvaluationContext(const std::vector<GpuInfo>& gpus, const ThresholdTable& table) {
  EvaluationContext ctx;
  ctx.outlier_ratio = table.outlier_ratio;
  for (const GpuInfo& g : gpus) {
    const ModelThresholds* m = table.Match(g.name, g.pci_device_id);
    ctx.floors.emplace_back();
    ctx.health_rules.push_back(m != nullptr ? m->health : HealthRules{});
    if (m == nullptr) continue;
    for (const auto& [metric, floor] : m->floors) ctx.floors.back()[metric] = floor;
  }
  if (!gpus.empty()) {
    const ModelThresholds* first = table.Match(gpus.front().name, gpus.front().pci_device_id);
    ctx.nccl_floor_ranks = first != nullptr ? first->nccl_floor_ranks : 0;
  }
  return ctx;
}

void EvaluateReport(Report& report, const ThresholdTable& table) {
  for (GpuInfo& g : report.gpus) {
    const ModelThresholds* m = table.Match(g.name, g.pci_device_id);
    g.model = m != nullptr ? m->model : "";
  }
  report.config.outlier_ratio = table.outlier_ratio;
  const EvaluationContext ctx = MakeEvaluationContext(report.gpus, table);
  for (TestResult& t : report.tests) EvaluateTest(t, ctx);
  ComputeVerdict(report);
}

}  // namespace llm::gpu_check

#include "node_validation/check_result.h"

#include <fmt/format.h>

#include "kube/object_fields.h"
#include "termination_summary.h"

namespace llm {
namespace {

std::optional<double> Metric(const gpu_check::TerminationSummary& s, std::string_view key) {
  const auto it = s.worst.find(std::string(key));
  if (it == s.worst.end()) return std::nullopt;
  return it->second;
}

std::optional<TimePoint> Time(const nlohmann::json& obj, std::string_view key) {
  const std::string value = StringAt(obj, {key});
  if (value.empty()) return std::nullopt;
  return ParseRfc3339(value);
}

}  // namespace

CheckOutcome ReadCheckResult(const nlohmann::json& terminated) {
  CheckOutcome out;
  out.exit_code = static_cast<int>(IntAt(terminated, {"exitCode"}, 0));
  out.started_at = Time(terminated, "startedAt");
  out.finished_at = Time(terminated, "finishedAt");
  const std::string message = StringAt(terminated, {"message"});
  auto parsed = gpu_check::ParseTerminationSummary(message);
  if (!parsed.ok()) {
    const std::string kubelet_reason = StringAt(terminated, {"reason"});
    const bool telling = !kubelet_reason.empty() && kubelet_reason != "Error" && kubelet_reason != "Completed";
    out.verdict = Verdict::kError;
    out.reason = telling ? fmt::format("pod ended without a result (exit code {}, {})", out.exit_code, kubelet_reason)
                         : fmt::format("pod ended without a result (exit code {})", out.exit_code);
    return out;
  }
  const gpu_check::TerminationSummary& s = parsed.value();
  out.model = s.model;
  out.gpu_count = s.gpu_count;
  out.suspect_gpus = s.suspect_gpus;
  out.health.checked = s.health_checked;
  for (const gpu_check::SummaryFinding& f : s.health_fail) out.health.failed.push_back({f.gpu, f.rule});
  for (const gpu_check::SummaryFinding& f : s.health_warn) out.health.warnings.push_back({f.gpu, f.rule});
  auto per_gpu = [&](const char* metric) {
    const auto it = s.per_gpu.find(metric);
    return it == s.per_gpu.end() ? std::vector<std::optional<double>>{} : it->second;
  };
  out.detail.hbm = per_gpu("hbm_copy");
  out.detail.h2d = per_gpu("h2d");
  out.detail.d2h = per_gpu("d2h");
  out.detail.p2p = s.p2p_unidir;
  // The summary keys floors by metric; the report by its own figure names.
  const std::pair<const char*, const char*> floor_names[] = {
      {"hbm_copy", "hbm"}, {"h2d", "h2d"}, {"d2h", "d2h"}, {"p2p_unidir", "p2pMin"}};
  for (const auto& [metric, name] : floor_names) {
    if (const auto it = s.floors.find(metric); it != s.floors.end()) out.detail.floors[name] = it->second;
  }
  out.bandwidth.hbm = Metric(s, "hbm_copy");
  out.bandwidth.h2d = Metric(s, "h2d");
  out.bandwidth.d2h = Metric(s, "d2h");
  out.bandwidth.p2p_min = Metric(s, "p2p_unidir");
  // One run reports one of the two: NCCL either chose NVLS or it did not.
  out.bandwidth.allreduce_busbw = Metric(s, "nccl_busbw");
  if (!out.bandwidth.allreduce_busbw) out.bandwidth.allreduce_busbw = Metric(s, "nccl_busbw_nvls");

  if (out.exit_code == kCheckExitUsage || s.exit_code == kCheckExitUsage) {
    out.verdict = Verdict::kError;
    out.reason = fmt::format("self-test usage error (exit code 64): {}", s.reason);
    return out;
  }
  const bool judged_bad = s.status == gpu_check::TestStatus::kFail || (out.exit_code >= 1 && out.exit_code <= 5);
  if (judged_bad) {
    out.verdict = Verdict::kFail;
    const int code = out.exit_code != 0 ? out.exit_code : s.exit_code;
    out.reason = !s.reason.empty() ? s.reason
                                   : fmt::format("self-test failed (exit code {}{}{})", code,
                                                 s.exit_reason.empty() ? "" : ", ", s.exit_reason);
    return out;
  }
  if (out.exit_code == 0 && s.status == gpu_check::TestStatus::kPass && !s.partial) {
    out.verdict = Verdict::kPass;
    return out;
  }
  out.verdict = Verdict::kError;
  out.reason = fmt::format("self-test stopped before it finished (exit code {})", out.exit_code);
  return out;
}

}  // namespace llm

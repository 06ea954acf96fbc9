// RenderReport: the host library's one-call API. Measurements in (a Report
// whose tests hold raw series), verdict + JSON document + termination summary
// out, exactly as llm-gpu-check writes them. validate-nodes' tests use it to
// produce a self-test pod's termination message from fixture measurements.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "evaluate_report.h"
#include "exit_code.h"
#include "report.h"
#include "report_json.h"
#include "termination_summary.h"
#include "thresholds.h"

namespace llm::gpu_check {

struct RenderedReport {
  Report report;                    ///< evaluated: statuses, floors and verdict filled in
  nlohmann::json document;          ///< what goes to stdout and --json
  std::string termination_summary;  ///< what goes to the termination log (<= 4 KiB)
  ExitCode exit_code = ExitCode::kPass;
};

RenderedReport RenderReport(Report report, const ThresholdTable& thresholds = BuiltinThresholds());

}  // namespace llm::gpu_check

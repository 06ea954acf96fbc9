#include "interruption.h"

#include <fmt/format.h>

namespace llm::gpu_check {

void MarkInterrupted(Report& report, const std::string& reason) {
  report.partial = true;
  for (TestResult& t : report.tests) {
    if (t.status != TestStatus::kTimeout) continue;
    t.reason = t.reason.empty() ? reason : fmt::format("{} ({})", t.reason, reason);
  }
}

}  // namespace llm::gpu_check

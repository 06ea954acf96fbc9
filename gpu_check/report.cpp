#include "report.h"

namespace llm::gpu_check {

std::string_view TestStatusName(TestStatus status) {
  switch (status) {
    case TestStatus::kPass:
      return "pass";
    case TestStatus::kFail:
      return "fail";
    case TestStatus::kSkip:
      return "skip";
    case TestStatus::kError:
      return "error";
    case TestStatus::kTimeout:
      return "timeout";
  }
  return "error";
}

std::optional<TestStatus> ParseTestStatus(std::string_view name) {
  for (TestStatus s :
       {TestStatus::kPass, TestStatus::kFail, TestStatus::kSkip, TestStatus::kError, TestStatus::kTimeout}) {
    if (TestStatusName(s) == name) return s;
  }
  return std::nullopt;
}

}  // namespace llm::gpu_check

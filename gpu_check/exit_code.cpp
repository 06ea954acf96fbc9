#include "exit_code.h"

namespace llm::gpu_check {

std::string_view ExitCodeName(ExitCode code) {
  switch (code) {
    case ExitCode::kPass:
      return "pass";
    case ExitCode::kBelowFloor:
      return "below_floor";
    case ExitCode::kCorruption:
      return "corruption";
    case ExitCode::kTopology:
      return "topology";
    case ExitCode::kTimeout:
      return "timeout";
    case ExitCode::kRuntimeError:
      return "runtime_error";
    case ExitCode::kUsage:
      return "usage";
  }
  return "unknown";
}

int ExitCodeSeverity(ExitCode code) {
  switch (code) {
    case ExitCode::kPass:
      return 0;
    case ExitCode::kBelowFloor:
      return 1;
    case ExitCode::kTopology:
      return 2;
    case ExitCode::kTimeout:
      return 3;
    case ExitCode::kRuntimeError:
      return 4;
    case ExitCode::kCorruption:
      return 5;
    case ExitCode::kUsage:
      return 6;
  }
  return 0;
}

ExitCode MoreSevere(ExitCode a, ExitCode b) { return ExitCodeSeverity(b) > ExitCodeSeverity(a) ? b : a; }

}  // namespace llm::gpu_check

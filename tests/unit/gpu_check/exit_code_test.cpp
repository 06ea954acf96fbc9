#include "exit_code.h"

#include <doctest/doctest.h>

namespace llm::gpu_check {

TEST_CASE("exit codes keep their documented values") {
  CHECK(static_cast<int>(ExitCode::kPass) == 0);
  CHECK(static_cast<int>(ExitCode::kBelowFloor) == 1);
  CHECK(static_cast<int>(ExitCode::kCorruption) == 2);
  CHECK(static_cast<int>(ExitCode::kTopology) == 3);
  CHECK(static_cast<int>(ExitCode::kTimeout) == 4);
  CHECK(static_cast<int>(ExitCode::kRuntimeError) == 5);
  CHECK(static_cast<int>(ExitCode::kUsage) == 64);
  CHECK(ExitCodeName(ExitCode::kCorruption) == "corruption");
}

TEST_CASE("MoreSevere: corruption outranks every measurement failure") {
  CHECK(MoreSevere(ExitCode::kPass, ExitCode::kBelowFloor) == ExitCode::kBelowFloor);
  CHECK(MoreSevere(ExitCode::kBelowFloor, ExitCode::kTopology) == ExitCode::kTopology);
  CHECK(MoreSevere(ExitCode::kTimeout, ExitCode::kTopology) == ExitCode::kTimeout);
  CHECK(MoreSevere(ExitCode::kTimeout, ExitCode::kRuntimeError) == ExitCode::kRuntimeError);
  CHECK(MoreSevere(ExitCode::kCorruption, ExitCode::kRuntimeError) == ExitCode::kCorruption);
  CHECK(MoreSevere(ExitCode::kCorruption, ExitCode::kBelowFloor) == ExitCode::kCorruption);
}

}  // namespace llm::gpu_check

#include "nccl_debug_env.h"

#include <doctest/doctest.h>

namespace llm::gpu_check {

using Vars = std::vector<std::pair<std::string, std::string>>;

TEST_CASE("PlanNcclDebug keeps NCCL's log off stdout and on TUNING") {
  auto plan = PlanNcclDebug(MapEnv({}), "/tmp", 42);
  CHECK(plan.log_file == "/tmp/llm-gpu-check-nccl.42.log");
  CHECK(plan.set == Vars{{"NCCL_DEBUG_FILE", "/tmp/llm-gpu-check-nccl.42.log"},
                         {"NCCL_DEBUG", "INFO"},
                         {"NCCL_DEBUG_SUBSYS", "TUNING"}});
}

TEST_CASE("PlanNcclDebug respects the user's settings") {
  auto level = PlanNcclDebug(MapEnv({{"NCCL_DEBUG", "WARN"}}), "/tmp", 1);
  CHECK(level.set == Vars{{"NCCL_DEBUG_FILE", "/tmp/llm-gpu-check-nccl.1.log"}});
  auto file = PlanNcclDebug(MapEnv({{"NCCL_DEBUG_FILE", "/logs/nccl.%h.%p"}}), "/tmp", 1);
  CHECK(file.set.empty());
  CHECK(file.log_file.empty());
}

}  // namespace llm::gpu_check

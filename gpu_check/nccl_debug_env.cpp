#include "nccl_debug_env.h"

#include <fmt/format.h>

namespace llm::gpu_check {

NcclDebugSetup PlanNcclDebug(const EnvLookup& env, const std::string& dir, int pid) {
  NcclDebugSetup plan;
  if (env("NCCL_DEBUG_FILE")) return plan;  // the user chose where NCCL logs; leave NCCL alone
  plan.log_file = fmt::format("{}/llm-gpu-check-nccl.{}.log", dir, pid);
  plan.set.emplace_back("NCCL_DEBUG_FILE", plan.log_file);
  if (!env("NCCL_DEBUG")) {
    plan.set.emplace_back("NCCL_DEBUG", "INFO");
    if (!env("NCCL_DEBUG_SUBSYS")) plan.set.emplace_back("NCCL_DEBUG_SUBSYS", "TUNING");
  }
  return plan;
}

}  // namespace llm::gpu_check

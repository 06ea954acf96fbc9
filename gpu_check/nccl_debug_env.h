// NCCL's logging for llm-gpu-check: NCCL writes its debug output to stdout by
// default, which would break the one-JSON-line stdout contract, and its
// TUNING lines are the only record of the algorithm it chose. So, unless the
// user set them, NCCL_DEBUG=INFO, NCCL_DEBUG_SUBSYS=TUNING and NCCL_DEBUG_FILE
// (a file of ours) are set before NCCL starts.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "env_lookup.h"

namespace llm::gpu_check {

struct NcclDebugSetup {
  std::vector<std::pair<std::string, std::string>> set;  ///< variables to set (setenv) before any NCCL call
  std::string log_file;  ///< where NCCL will log; "" when the user's NCCL_DEBUG_FILE is in charge
};

/// `dir` is a writable folder (TMPDIR or /tmp); `pid` makes the file unique.
NcclDebugSetup PlanNcclDebug(const EnvLookup& env, const std::string& dir, int pid);

}  // namespace llm::gpu_check

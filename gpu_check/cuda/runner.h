// RunChecks: inventory first, then each selected check under its phase
// deadline (polled in-thread) and a watchdog backstop, recording every result
// in the ReportStore as it comes.
#pragma once

#include <map>
#include <ostream>
#include <string>

#include "comm_abort_registry.h"
#include "multi_node.h"
#include "options.h"
#include "profile.h"
#include "report_store.h"
#include "thresholds.h"
#include "watchdog.h"

namespace llm::gpu_check {

struct RunnerEnv {
  const Options& options;
  const Profile& profile;
  const MultiNodeConfig& multi_node;
  const ThresholdTable& thresholds;
  ReportStore& store;
  Watchdog& watchdog;
  CommAbortRegistry& comms;
  std::ostream& log;
  std::string nccl_debug_file;
  /// The NCCL_* variables as the pod set them, read before the program set
  /// its own NCCL_DEBUG* (the report and the lint are about the pod's).
  std::map<std::string, std::string> nccl_env = {};
};

/// Runs the selected checks. Returns true when a timeout cut the run short
/// (the GPU may still be busy, so the caller must not tear CUDA down).
bool RunChecks(RunnerEnv& env);

}  // namespace llm::gpu_check

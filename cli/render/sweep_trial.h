// One trial of a hyperparameter sweep, as train renders it: an ordinary
// training job labelled with its sweep and number, its parameters and the
// objective in annotations, and its command run by a small POSIX sh wrapper
// that passes every output line through and, on exit, copies the last line
// naming the metric ("val_loss=0.31", Katib's convention) into the container's
// termination message. The plugin then reads the result from the pod's status:
// no sidecar, no webhook, no pods/log permission.
#pragma once

#include <string>
#include <vector>

#include "workload/sweep_plan.h"

namespace llm {

struct SweepTrial {
  std::string sweep;  ///< the sweep's NAME (the trial's job is NAME-<index>)
  int index = 1;      ///< 1, 2, ...
  TrialParams params;
  std::string metric;     ///< --metric
  bool maximize = false;  ///< --mode max
};

/// The job name of trial `index` of sweep `sweep`.
std::string TrialJobName(const std::string& sweep, int index);

/// The wrapper script, for its unit test: `sh -c SCRIPT kubectl-llm-trial
/// METRIC COMMAND...` runs COMMAND with its stdout passing through a filter,
/// forwards SIGTERM and SIGINT to it, keeps the last stdout line holding
/// METRIC= in $KUBECTL_LLM_TERMINATION_LOG (default /dev/termination-log, at
/// most 1 KiB) and exits with COMMAND's status. Where no FIFO can be made it
/// runs COMMAND alone (the plugin then reads the log's tail).
extern const char* const kTrialWrapperScript;

/// `command` wrapped by the script for `metric`.
std::vector<std::string> TrialCommand(const std::string& metric, const std::vector<std::string>& command);

}  // namespace llm

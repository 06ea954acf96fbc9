// `--wait` for serve/train: follows the workload object with a watch
// (kube::Waiter) until it is ready, showing its pods' progress on each change,
// and when it fails or the timeout passes, explains why in one sentence
// (DiagnoseStall over the pods, their events, PVCs and a crashing container's
// last log lines).
#pragma once

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include "kube/rest_client.h"
#include "kube/wait_condition.h"
#include "kube/waiter.h"
#include "output/terminal.h"
#include "util/result.h"
#include "workload/stall_diagnosis.h"

namespace llm {

struct WorkloadWaitRequest {
  kube::ResourceRef workload;  ///< ns and name set
  std::string instance;        ///< app.kubernetes.io/instance of its pods
  bool train = false;          ///< ready when every pod runs (or the Job completes), not "rolled out"
  std::chrono::seconds timeout{600};
};

/// How --wait ended when it did not succeed; the command maps these to exit codes.
enum class WaitFailure { kNone, kFailed, kTimedOut };

/// train's readiness: a Job is done when Complete or when status.ready reaches
/// its parallelism (every pod running), failed when Failed; other kinds use RolledOut.
kube::WaitPredicate TrainReady();

/// Reads the evidence DiagnoseStall needs for the instance's pods in `ns`.
Result<StallEvidence> GatherStallEvidence(kube::RestClient& client, const kube::ResourceRef& workload,
                                          const std::string& instance);

/// Waits; progress goes to `terminal`. On failure the error's message ends in
/// the diagnosis and `failure` says which kind it was.
Status WaitForWorkload(kube::RestClient& client, kube::Waiter& waiter, const WorkloadWaitRequest& request,
                       Terminal& terminal, WaitFailure& failure);

}  // namespace llm

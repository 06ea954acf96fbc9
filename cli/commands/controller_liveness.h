// Whether the controller of a custom workload kind runs, read from the cluster
// (its Deployment and leader election Lease, where its project installs them)
// and judged by JudgeController: what `--wait` says when a JobSet or a
// LeaderWorkerSet is not acted on, and what doctor reports per installed CRD.
#pragma once

#include <chrono>

#include "kube/rest_client.h"
#include "workload/workload_controller.h"

namespace llm {

/// Never fails: what cannot be read (forbidden, unreachable) makes the
/// answer kUnknown and is named in its sentence.
ControllerLiveness CheckControllerLiveness(kube::RestClient& client, const WorkloadController& controller,
                                           std::chrono::system_clock::time_point now);

}  // namespace llm

// `--wait` for serve/train: two watches (and, for train, Kueue's Workload
// polled every 2 s, an object no watch of ours follows, so a suspended job
// says why it waits). The workload
// object is followed (kube::Waiter) until it is ready or failed; its pods are
// followed on a second thread, which redraws their progress on each change and
// ends the wait at once when a pod shows a stall that waiting will not end
// (BackedOffPods: crash loop, image pull back-off). Whatever ends it, the
// reason is one sentence (DiagnoseStall over the pods, their events, PVCs and a
// crashing container's last log lines). For a JobSet or LeaderWorkerSet, a
// third thread looks once the controller's grace period has passed: when
// nothing shows that the controller acted (no status, no pods), the wait says
// so at once, and ends when the controller is known not to run.
#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kube/rest_client.h"
#include "kube/wait_condition.h"
#include "output/terminal.h"
#include "util/clock.h"
#include "util/result.h"
#include "workload/pod_progress.h"
#include "workload/stall_diagnosis.h"

namespace llm {

struct WorkloadWaitRequest {
  kube::ResourceRef workload;  ///< ns and name set
  std::string instance;        ///< app.kubernetes.io/instance of its pods
  bool train = false;          ///< ready when every pod runs (or the Job completes), not "rolled out"
  std::chrono::seconds timeout{600};
  /// How long the workload's controller (JobSet, LeaderWorkerSet) may take to
  /// act (write a status, make pods) before the wait says it did not.
  std::chrono::seconds controller_grace{20};
};

/// How --wait ended when it did not succeed; the command maps these to exit codes.
enum class WaitFailure { kNone, kFailed, kTimedOut };

/// train's readiness: a Job is done when Complete or when status.ready reaches
/// its parallelism (every pod running), failed when Failed; a JobSet when
/// Completed or when every child Job runs (its replicated jobs' ready plus
/// succeeded reach their replicas), failed when Failed; other kinds use RolledOut.
kube::WaitPredicate TrainReady();

/// The kueue.x-k8s.io Workload in `ns` owned by one of `owner_uids` (a Job,
/// a JobSet, a queued pod); nullopt when Kueue is not served or made none.
std::optional<nlohmann::json> FindKueueWorkload(kube::RestClient& client, const std::string& ns,
                                                const std::set<std::string>& owner_uids);

/// Each pod's progress (ComputePodProgress over `events`), by pod name: what
/// the live display of a wait shows.
std::vector<PodProgress> PodsProgress(const nlohmann::json& pods, const nlohmann::json& events);

/// Reads the evidence DiagnoseStall needs for the instance's pods in `ns`;
/// `pods`, when given, are the pods to judge (as a watch saw them) instead of
/// a fresh list.
Result<StallEvidence> GatherStallEvidence(kube::RestClient& client, const kube::ResourceRef& workload,
                                          const std::string& instance,
                                          const std::optional<nlohmann::json>& pods = std::nullopt);

/// Waits; progress goes to `terminal`. On failure the error's message ends in
/// the diagnosis and `failure` says which kind it was: kFailed when the
/// workload failed, a pod is backing off or its controller does not run,
/// kTimedOut at the timeout.
Status WaitForWorkload(kube::RestClient& client, Clock& clock, const WorkloadWaitRequest& request, Terminal& terminal,
                       WaitFailure& failure);

}  // namespace llm

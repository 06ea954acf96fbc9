// Why a rollout is stuck or failed, in one sentence, from the evidence the API
// server already holds: pod status, events, the controller's conditions, PVCs,
// Kueue's Workload, and (for a crashing container) its last log lines.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace llm {

/// Causes, in the order the rules are tried (most decisive first); see
/// DiagnoseStall for why this order.
enum class StallCause {
  kNone,
  kBackoffLimitExceeded,
  kKueueNotAdmitted,
  kPodsRefused,      ///< the API server refuses the controller's pods (ResourceQuota, LimitRange, Pod Security)
  kSchedulingGated,  ///< pods held back from the scheduler by spec.schedulingGates
  kPvcPending,
  kUnschedulable,
  kWaitingForScaleUp,  ///< an unschedulable pod for which a node autoscaler is adding a node
  kImagePullFailure,
  kOomKilled,
  kHuggingFaceAccessDenied,  ///< a crash whose log shows Hugging Face refusing the model (gated repo, bad token)
  kCrashLoop,
  kProbeFailing,
  kProgressDeadlineExceeded,
};

/// "BackoffLimitExceeded", "Unschedulable", ...: stable words for -o json and tests.
std::string_view StallCauseName(StallCause cause);

struct StallEvidence {
  nlohmann::json pods = nlohmann::json::array();    ///< PodList or array: the workload's pods
  nlohmann::json events = nlohmann::json::array();  ///< EventList or array (core/v1 or events.k8s.io/v1)
  /// The workload's controller object (Deployment, Job, JobSet, LeaderWorkerSet), if read.
  std::optional<nlohmann::json> controller;
  nlohmann::json pvcs = nlohmann::json::array();  ///< the namespace's PVCs (or those the pods use)
  std::optional<nlohmann::json> kueue_workload;   ///< kueue.x-k8s.io Workload of the job, if any
  /// Last log lines per "pod/container" (previous instance of a crashing container).
  std::map<std::string, std::vector<std::string>> last_log_lines;
};

struct StallDiagnosis {
  StallCause cause = StallCause::kNone;
  std::string sentence;                ///< one sentence, no trailing period added by us; empty for kNone
  std::string pod;                     ///< the pod it is about, when one
  std::string container;               ///< the container it is about, when one
  int affected_pods = 0;               ///< how many of the pods show this cause
  std::vector<std::string> log_lines;  ///< for kCrashLoop/kOomKilled when given
};

/// Applies the rules in StallCause order and returns the first that matches.
StallDiagnosis DiagnoseStall(const StallEvidence& evidence);

}  // namespace llm

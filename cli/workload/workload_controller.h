// The controllers that reconcile the custom workload kinds the plugin renders
// (JobSet, LeaderWorkerSet), where their projects install them, and whether
// one runs, judged from what the API server shows of it: its Deployment and
// its leader election Lease. A CRD served with no controller behind it is a
// common broken install: objects are accepted and nothing ever happens.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace llm {

/// One controller, as its project's release manifests install it.
struct WorkloadController {
  std::string_view group;       ///< the API group of the kind it reconciles
  std::string_view kind;        ///< "JobSet"
  std::string_view resource;    ///< "jobsets"
  std::string_view title;       ///< "the JobSet controller"
  std::string_view ns;          ///< the namespace its manifests install into
  std::string_view deployment;  ///< its Deployment there
  std::string_view lease;       ///< its leader election Lease there (the project's default name)
};

/// The controller of resource `group`/`resource` ("jobsets"), or nullptr for
/// kinds without an entry (built-in kinds: the kube-controller-manager's).
const WorkloadController* ControllerOf(std::string_view group, std::string_view resource);

/// Every entry, for doctor.
const std::vector<WorkloadController>& WorkloadControllers();

/// What could be read of the controller: each object, or why not (an error
/// message; "" with no object means NotFound).
struct ControllerEvidence {
  std::optional<nlohmann::json> deployment;
  std::string deployment_error;
  std::optional<nlohmann::json> lease;
  std::string lease_error;
};

enum class ControllerState { kRunning, kNotRunning, kUnknown };

struct ControllerLiveness {
  ControllerState state = ControllerState::kUnknown;
  /// The evidence, to follow "the JobSet controller is not running: ";
  /// unless it runs, it says where the user may look.
  std::string detail;
};

/// "runs", "is not running", "may or may not run".
std::string_view StateWords(ControllerState state);

/// Running when its Lease was renewed within its duration, or its Deployment
/// has a ready pod; not running when both were read and neither shows it
/// (absent, a stale Lease, no ready pod); unknown when what was readable does
/// not show it running and the rest could not be read.
ControllerLiveness JudgeController(const WorkloadController& controller, const ControllerEvidence& evidence,
                                   std::chrono::system_clock::time_point now);

/// True while nothing shows that a controller acted on `workload`: no status
/// (absent or empty) and no pods.
bool NotReconciled(const nlohmann::json& workload, const nlohmann::json& pods);

}  // namespace llm

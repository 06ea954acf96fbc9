// The I/O half of `kubectl llm validate-nodes`: it carries out what
// cli/validate decides. One pod watch (this run's label) and one node watch
// feed the ValidationRun state machine from their own threads; the calling
// thread creates and deletes pods as the run asks and ticks its timers. The
// cluster is never polled: between events the caller only sleeps until the
// run's next deadline.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kube/rest_client.h"
#include "util/clock.h"
#include "util/result.h"
#include "validate/node_patch.h"
#include "validate/node_result.h"
#include "validate/node_selection.h"
#include "validate/validation_run.h"

namespace llm {

/// Every pod of one run carries this label (value: the run id), so one watch
/// with a label selector follows exactly this run's pods.
inline constexpr const char* kGpuCheckRunLabel = "kubectl-llm.dev/gpu-check-run";

/// Renders the gpu-check pod for one node (name given by the run).
using GpuCheckPodRenderer =
    std::function<Result<nlohmann::ordered_json>(const NodeCandidate& node, const std::string& pod_name)>;

struct LiveRunRequest {
  std::string ns;                      ///< where the pods go
  std::string run_id;
  ValidationRunConfig run;             ///< RunConfigFor(config, run_id)
  std::vector<NodeCandidate> nodes;    ///< selection.to_test, in test order
  GpuCheckPodRenderer render_pod;
};

struct LiveRunOutcome {
  std::vector<NodeResult> results;               ///< run.Results()
  std::map<std::string, nlohmann::json> nodes;   ///< tested nodes as the node watch last saw them
};

/// Runs the state machine to its Done action. API errors on create become the
/// node's error (OnCreateFailed); a watch that cannot be re-established cancels
/// the run (every pod still running is deleted) and is returned as the error.
Result<LiveRunOutcome> ExecuteValidationRun(kube::RestClient& client, Clock& clock, const LiveRunRequest& request);

/// --record / --taint-failed: one merge patch per node that needs one, computed
/// from the node as last seen; on 409 Conflict the node is read again and the
/// patch recomputed (a few times at most). Returns how many nodes were patched.
Result<int> PatchNodes(kube::RestClient& client, const std::vector<NodeResult>& results,
                       const std::map<std::string, nlohmann::json>& nodes, const RecordSettings& settings);

}  // namespace llm

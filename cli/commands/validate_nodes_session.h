// The I/O half of `kubectl llm validate-nodes`: it carries out what
// cli/node_validation decides. One pod watch (this run's label) and one node watch
// feed a state machine (ValidationRun for the single-node pods, PairRun for
// the multi-node Jobs) from their own threads; the calling thread creates and
// deletes objects as the machine asks and ticks its timers. The cluster is
// never polled: between events the caller only sleeps until the machine's next
// deadline (at most a second, which also bounds how long an interrupt waits).
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kube/rest_client.h"
#include "node_validation/node_patch.h"
#include "node_validation/node_result.h"
#include "node_validation/node_selection.h"
#include "node_validation/pair_run.h"
#include "node_validation/validation_run.h"
#include "util/clock.h"
#include "util/result.h"

namespace llm {

/// Every pod of one run carries this label (value: the run id), so one watch
/// with a label selector follows exactly this run's pods.
inline constexpr const char* kGpuCheckRunLabel = "kubectl-llm.dev/gpu-check-run";
/// And a batch number (the node's place in the run / kPodsPerCleanupBatch),
/// so that the clean-up deletes the pods a batch per request.
inline constexpr const char* kGpuCheckBatchLabel = "kubectl-llm.dev/gpu-check-batch";
/// Pods per deletecollection at the clean-up. The API server deletes a
/// collection's items one after another (--delete-collection-workers, 1 by
/// default) within its request timeout (--request-timeout, 60 s by default):
/// 10,000 pods in one request outlasted it and failed the run; 1,000 take
/// about 7 s on an idle local control plane, but over 60 s beside the
/// --record patches of a 10,000-node run.
inline constexpr int kPodsPerCleanupBatch = 250;

/// Renders the gpu-check pod for one node (name given by the run).
using GpuCheckPodRenderer =
    std::function<Result<nlohmann::ordered_json>(const NodeCandidate& node, const std::string& pod_name)>;

/// The signal that interrupted the command (InterruptSignals::received), 0 while none did.
using InterruptedFn = std::function<int()>;

struct LiveRunRequest {
  std::string ns;  ///< where the pods go
  std::string run_id;
  ValidationRunConfig run;           ///< RunConfigFor(config, run_id)
  std::vector<NodeCandidate> nodes;  ///< selection.to_test, in test order
  GpuCheckPodRenderer render_pod;
  InterruptedFn interrupted;  ///< empty: never
};

struct LiveRunOutcome {
  std::vector<NodeResult> results;              ///< run.Results()
  std::map<std::string, nlohmann::json> nodes;  ///< tested nodes as the node watch last saw them
  int signal = 0;                               ///< the run was interrupted by this signal
  std::set<std::string> interrupted_nodes;      ///< nodes whose error is the interruption (not to be recorded)
  std::set<std::string> unseen_nodes;  ///< ValidationRun::unseen_nodes(): their error is not the node's (not recorded)
};

/// Runs the state machine to its Done action. API errors on create become the
/// node's error (OnCreateFailed); a watch that cannot be re-established cancels
/// the run (every pod still running is deleted) and is returned as the error.
/// An interrupt cancels the run at once: nothing more is created or deleted
/// (the caller removes the run's objects unless --keep) and every open node
/// gets the error "interrupted by SIGINT".
Result<LiveRunOutcome> ExecuteValidationRun(kube::RestClient& client, Clock& clock, const LiveRunRequest& request);

/// Renders the multi-node test of one pair: its headless Service, then its
/// Indexed Job, each labelled with the run id (the Job's pods too).
using GpuCheckPairRenderer = std::function<Result<std::vector<nlohmann::ordered_json>>(
    const NodeCandidate& first, const NodeCandidate& second, const std::string& job)>;

struct PairRunRequest {
  std::string ns;
  std::string run_id;
  PairRunConfig run;                 ///< PairRunConfigFor(config, run_id)
  std::vector<NodeCandidate> nodes;  ///< the nodes that passed alone
  GpuCheckPairRenderer render_pair;
  InterruptedFn interrupted;
};

struct PairRunOutcome {
  std::vector<PairTestResult> pairs;              ///< the pairs that were started
  std::vector<MultiNodeNodeResult> node_results;  ///< PairRun::NodeResults()
  std::map<std::string, nlohmann::json> nodes;    ///< paired nodes as the node watch last saw them
  int signal = 0;
  std::set<std::string> interrupted_nodes;  ///< conclusions the interruption cut short
};

/// As ExecuteValidationRun, for PairRun: CreateJob creates the pair's Service
/// then its Job; DeleteJob deletes both (the Job's pods by propagation).
Result<PairRunOutcome> ExecutePairRun(kube::RestClient& client, Clock& clock, const PairRunRequest& request);

/// --record / --taint-failed: one merge patch per node that needs one, computed
/// from the node as last seen; on 409 Conflict the node is read again and the
/// patch recomputed (a few times at most). Returns how many nodes were patched.
Result<int> PatchNodes(kube::RestClient& client, const std::vector<NodeResult>& results,
                       const std::map<std::string, nlohmann::json>& nodes, const RecordSettings& settings);

}  // namespace llm

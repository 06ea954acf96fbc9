// Applying a workload's objects as one recorded revision: what serve, train
// and rollback share once they know the objects. Records the revision
// (pending), applies the ApplySet with change-cause, prints kubectl's lines,
// follows it with --wait, and records the outcome; with --rollback-on-failure
// a failed wait re-applies the previous deployed revision and says so.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "commands/workload_apply_command.h"
#include "kube/rest_client.h"
#include "output/output_format.h"
#include "output/terminal.h"
#include "util/io_streams.h"
#include "util/result.h"

namespace llm {

class ClusterSession;

struct RecordedApply {
  std::string name;
  std::string operation;    ///< serve, train, rollback
  std::string description;  ///< "" for "Install|Upgrade complete|failed"; rollback's "Rollback to N"
  std::vector<nlohmann::json> objects;
  bool dry_run = false;  ///< --dry-run=server: applied with dryRun=All, nothing recorded
  bool wait = false;
  std::chrono::seconds timeout{600};
  bool train = false;  ///< --wait follows a training job
  int history_max = 10;
  FieldOwnershipFlags ownership;
  OutputSpec output{};
  std::vector<std::string> command_args;
  bool rollback_on_failure = false;
};

/// The checks serve, train and rollback share: --wait not with a dry run,
/// --timeout a duration, --history-max 0 or more.
Status ValidateRecordedApplyFlags(bool dry_run, bool wait, const std::string& timeout, int history_max);

/// serve and train applying exactly what their newest revision, deployed,
/// holds, without --wait or a dry run: nothing changes what the cluster was
/// asked for, so no revision is recorded (as a kubectl apply that changes no
/// pod template records no rollout) and no preflight is needed (nothing new
/// asks for GPUs). The objects are applied again (repairing any drift) while
/// the workload's revision index holds the workload, taken in the one
/// conditional request that also checks it (WorkloadRevisions::ClaimDeployed).
/// False when that is not the case: nothing but the index was read, and the
/// caller goes on with the preflight and ApplyRecorded.
Result<bool> ReapplyDeployedRevision(ClusterSession& session, const RecordedApply& request, IoStreams streams);
/// What ReapplyDeployedRevision of workload `name` reads first (its revision
/// index; nothing for a dry run or --wait, which never re-apply this way), for
/// RestClient::Prefetch.
std::vector<kube::PlannedRead> ReapplyReads(ClusterSession& session, const std::string& name, bool dry_run, bool wait);

/// What ApplyRecorded reads before it writes anything (who the caller is, the
/// revisions, the ApplySet parent; nothing for a dry run), for
/// RestClient::Prefetch.
std::vector<kube::PlannedRead> ApplyRecordedReads(ClusterSession& session, const RecordedApply& request);

/// `error_exit_code` is set for --wait's failures (kExitWorkloadFailed,
/// kExitTimedOut), also when a rollback on failure succeeded: the change the
/// user asked for did not happen.
Status ApplyRecorded(ClusterSession& session, const kube::ConfigFlags& flags, const RecordedApply& request,
                     IoStreams streams, Terminal& progress, std::optional<int>& error_exit_code);

}  // namespace llm

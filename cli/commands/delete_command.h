// `kubectl llm delete NAME`: deletes everything the ApplySet NAME holds, then
// its parent (kube::Applier::Delete), printing kubectl delete's lines, and (as
// kubectl delete does, unless --wait=false) follows each object until it is
// gone. kubectl's --ignore-not-found, --dry-run, --cascade and --grace-period.
// Claims that hold data (a model cache, checkpoints) are kept and listed unless
// --delete-data: a dynamically provisioned volume is deleted with its claim.
#pragma once

#include <string>
#include <vector>

#include "commands/command.h"
#include "kube/applier.h"
#include "kube/dry_run.h"
#include "util/duration.h"

namespace llm {

class ClusterSession;

struct DeleteOptions {
  std::string name;
  bool wait = true;  ///< as kubectl delete: until every object is gone (--wait=false: not)
  std::string timeout = "10m";
  bool ignore_not_found = false;       ///< a workload that does not exist is no error
  std::string dry_run;                 ///< --dry-run: "", none, client, server
  std::string cascade = "background";  ///< --cascade: background, foreground, orphan
  int64_t grace_period = -1;           ///< --grace-period: seconds; -1 each pod's own
  bool delete_data = false;
  /// Keep the workload's revisions (released from the ApplySet parent, which
  /// owns them) and record the delete as one, so `rollback NAME REVISION` can restore it.
  bool keep_history = false;
  std::vector<std::string> command_args;  ///< recorded (redacted) with --keep-history
};

/// kubectl delete's line: `deployment.apps "chat" deleted`, with " (dry run)"
/// or " (server dry run)" as `dry_run` says; a kept claim says so and how to
/// remove it.
std::string FormatDeleted(const kube::ObjectResult& result, kube::DryRun dry_run = kube::DryRun::kNone);

/// After kube::Applier::Delete: prints its lines, fails (naming `set`, whose
/// parent was kept for a retry) when some objects could not be deleted, and
/// with `wait` follows each deleted object until it is gone, all within
/// `timeout` (exit code kExitTimedOut when it runs out).
Status FinishDelete(const kube::ApplyOutcome& outcome, const std::string& set, bool wait, Seconds timeout,
                    ClusterSession& session, IoStreams streams, std::optional<int>& error_exit_code,
                    kube::DryRun dry_run = kube::DryRun::kNone);

/// The flags' values, parsed once.
struct DeletePlan {
  Seconds timeout{0};
  kube::DryRun dry_run = kube::DryRun::kNone;
  std::string propagation_policy;  ///< the API's word for --cascade
};

/// Checks every flag before any request: errors name the flag.
Result<DeletePlan> ValidateDeleteOptions(const DeleteOptions& options);

Status RunDelete(const DeleteOptions& options, const kube::ConfigFlags& flags, IoStreams streams,
                 std::optional<int>& error_exit_code);
void SetupDeleteCommand(CLI::App* cmd, CommandContext& ctx);

}  // namespace llm

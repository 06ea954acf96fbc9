// `kubectl llm delete NAME [--wait] [--timeout D] [--delete-data]`: deletes
// everything the ApplySet NAME holds, then its parent (kube::Applier::Delete),
// printing kubectl delete's lines; --wait follows each object until it is gone.
// Claims that hold data (a model cache, checkpoints) are kept and listed unless
// --delete-data: a dynamically provisioned volume is deleted with its claim.
#pragma once

#include <string>
#include <vector>

#include "commands/command.h"
#include "kube/applier.h"
#include "util/duration.h"

namespace llm {

class ClusterSession;

struct DeleteOptions {
  std::string name;
  bool wait = false;
  std::string timeout = "10m";
  bool delete_data = false;
  /// Keep the workload's revisions (released from the ApplySet parent, which
  /// owns them) and record the delete as one, so `rollback NAME REVISION` can restore it.
  bool keep_history = false;
  std::vector<std::string> command_args;  ///< recorded (redacted) with --keep-history
};

/// kubectl delete's line: `deployment.apps "chat" deleted`; a kept claim says
/// so and how to remove it.
std::string FormatDeleted(const kube::ObjectResult& result);

/// After kube::Applier::Delete: prints its lines, fails (naming `set`, whose
/// parent was kept for a retry) when some objects could not be deleted, and
/// with `wait` follows each deleted object until it is gone, all within
/// `timeout` (exit code kExitTimedOut when it runs out).
Status FinishDelete(const kube::ApplyOutcome& outcome, const std::string& set, bool wait, Seconds timeout,
                    ClusterSession& session, IoStreams streams, std::optional<int>& error_exit_code);

Status RunDelete(const DeleteOptions& options, const kube::ConfigFlags& flags, IoStreams streams,
                 std::optional<int>& error_exit_code);
void SetupDeleteCommand(CLI::App* cmd, CommandContext& ctx);

}  // namespace llm

// `kubectl llm rollback NAME [REVISION] [--wait] [--dry-run=client|server]`:
// re-applies a recorded revision's objects (commands/recorded_apply.h) with
// the same field manager, pruning what that revision did not have (ApplySet),
// and records a new revision "Rollback to N", as `helm rollback` does.
// Default: the deployed revision before the current one.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "commands/command.h"
#include "commands/workload_apply_command.h"
#include "kube/config_flags.h"
#include "output/terminal.h"
#include "workload/revision_record.h"

namespace llm {

struct RollbackOptions {
  std::string name;
  std::optional<int> revision;   ///< REVISION; nullopt: the previous deployed one
  std::string dry_run = "none";  ///< none, client (print the objects), server
  std::string output;            ///< "" (one line per object), yaml, json, name
  bool wait = false;
  std::string timeout = "10m";
  int history_max = 10;
  FieldOwnershipFlags ownership;
  std::vector<std::string> command_args;
};

Status ValidateRollbackOptions(const RollbackOptions& options);

/// The revision a rollback returns to by default: the newest revision older
/// than the newest deployed one that was deployed itself (now superseded);
/// nullopt when there is none.
std::optional<int> DefaultRollbackTarget(const std::vector<RevisionAudit>& history);

Status RunRollback(const RollbackOptions& options, const kube::ConfigFlags& flags, IoStreams streams,
                   Terminal& progress, std::optional<int>& error_exit_code);

void SetupRollbackCommand(CLI::App* cmd, CommandContext& ctx);

}  // namespace llm

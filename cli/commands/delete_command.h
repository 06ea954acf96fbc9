// `kubectl llm delete NAME [--wait] [--timeout D] [--delete-data]`: deletes
// everything the ApplySet NAME holds, then its parent (kube::Applier::Delete),
// printing kubectl delete's lines; --wait follows each object until it is gone.
// Claims that hold data (a model cache, checkpoints) are kept and listed unless
// --delete-data: a dynamically provisioned volume is deleted with its claim.
#pragma once

#include <string>

#include "commands/command.h"
#include "kube/applier.h"

namespace llm {

struct DeleteOptions {
  std::string name;
  bool wait = false;
  std::string timeout = "10m";
  bool delete_data = false;
};

/// kubectl delete's line: `deployment.apps "chat" deleted`; a kept claim says
/// so and how to remove it.
std::string FormatDeleted(const kube::ObjectResult& result);

Status RunDelete(const DeleteOptions& options, const kube::ConfigFlags& flags, IoStreams streams,
                 std::optional<int>& error_exit_code);
void SetupDeleteCommand(CLI::App* cmd, CommandContext& ctx);

}  // namespace llm

// The command table: one row per subcommand. A new command is one file in
// commands/ plus one row here.
#include "commands/command.h"
#include "commands/completion_command.h"
#include "commands/delete_command.h"
#include "commands/diff_command.h"
#include "commands/render_command.h"
#include "commands/version_command.h"
#include "commands/workload_apply_command.h"

namespace llm {

std::span<const CommandSpec> AllCommands() {
  static const CommandSpec kCommands[] = {
      {"serve", "Serve a model: render, check, apply and follow it", &SetupServeCommand},
      {"train", "Train: render, check, apply and follow the job", &SetupTrainCommand},
      {"delete", "Delete a workload and everything it created", &SetupDeleteCommand},
      {"diff", "Show what serve or train would change", &SetupDiffCommand},
      {"render", "Print the manifests of serve, train or gpu-check without a cluster", &SetupRenderCommand},
      {"version", "Print the plugin and server versions", &SetupVersionCommand},
      {"completion", "Print a shell completion script", &SetupCompletionCommand},
  };
  return kCommands;
}

}  // namespace llm

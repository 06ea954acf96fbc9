// The command table: one row per subcommand. A new command is one file in
// commands/ plus one row here.
#include "commands/command.h"
#include "commands/completion_command.h"
#include "commands/render_command.h"
#include "commands/validate_nodes_command.h"
#include "commands/version_command.h"

namespace llm {

std::span<const CommandSpec> AllCommands() {
  static const CommandSpec kCommands[] = {
      {"render", "Print the manifests of serve, train or gpu-check without a cluster", &SetupRenderCommand},
      {"validate-nodes", "Run the GPU self-test on nodes and record the verdicts", &SetupValidateNodesCommand},
      {"version", "Print the plugin and server versions", &SetupVersionCommand},
      {"completion", "Print a shell completion script", &SetupCompletionCommand},
  };
  return kCommands;
}

}  // namespace llm

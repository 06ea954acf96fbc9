// `kubectl llm diff serve|train NAME [flags]`: what serve/train would change,
// as kubectl diff shows it: the rendered objects are applied with a server-side
// dry run (the ApplySet's prune included) and each answer (MERGED) is diffed
// against the live object (LIVE). Exit 0: no differences, 1: differences,
// 2 (kExitDiffError): an error. `diff NAME --revision A[..B]` compares
// recorded revisions (commands/revision_diff_command.h).
#pragma once

#include <string>

#include "commands/command.h"
#include "commands/render_command.h"
#include "commands/workload_apply_command.h"

namespace llm {

struct DiffOptions {
  RenderOptions render;
  bool show_managed_fields = false;
  FieldOwnershipFlags ownership;
};

/// Prints the diff; `differences` tells whether there were any.
Status RunDiff(const DiffOptions& options, const kube::ConfigFlags& flags, IoStreams streams, bool& differences);
void SetupDiffCommand(CLI::App* cmd, CommandContext& ctx);

}  // namespace llm

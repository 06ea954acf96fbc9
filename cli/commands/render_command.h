// `kubectl llm render serve|train|gpu-check NAME [flags]`: prints the manifests
// a workload would create, without a cluster (for review in git and CI).
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "commands/command.h"
#include "render/render_pipeline.h"
#include "render/workload.h"

namespace llm {

struct RenderOptions {
  RenderRequest request;
  std::string output;                        ///< -o: "" (yaml), yaml, json
  std::optional<std::string> templates_dir;  ///< --templates DIR
  /// --require-validated[=MAX_AGE] (serve, train): MAX_AGE, "" without one.
  /// Only serve/train's preflight reads MAX_AGE; the node affinity is rendered.
  std::optional<std::string> require_validated;
  std::string require_validated_age;  ///< what CLI11 parsed into; read require_validated
  /// train: the words after "--", one CLI11 positional each (see AddWorkloadFlags).
  std::array<std::optional<std::string>, 256> command_words;
};

/// Registers on `cmd` NAME, the workload's value flags (from its ValueSpec
/// table), -f, --set, --patch, --templates and, for train, the command after
/// "--". `serve`/`train` call this too, so their flags and `render`'s are the
/// same and `--dry-run=client -o yaml` prints what `render` prints. A run
/// that does not list flags gets only those its words may name (`global`).
void AddWorkloadFlags(CLI::App& cmd, const WorkloadSpec& workload, RenderOptions& options, const GlobalOptions& global);
/// Call from the subcommand's callback, before using `options`.
Status FinishWorkloadFlags(CLI::App& cmd, RenderOptions& options);

Status ValidateRenderOptions(const RenderOptions& options);
/// Renders and prints to streams.out; nothing is printed when anything fails.
Status RunRender(const RenderOptions& options, IoStreams streams, const ReadFileFn& read_file = ReadLocalFile);
void SetupRenderCommand(CLI::App* cmd, CommandContext& ctx);

}  // namespace llm

// `kubectl llm render serve|train|gpu-check NAME [flags]`: prints the manifests
// a workload would create, without a cluster (for review in git and CI).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "commands/command.h"
#include "render/render_pipeline.h"

namespace llm {

struct RenderOptions {
  RenderRequest request;
  std::string output;                  ///< -o: "" (yaml), yaml, json
  std::optional<std::string> templates_dir;  ///< --templates DIR
  std::optional<std::string> first_command_word;  ///< train: the first word after "--"
};

Status ValidateRenderOptions(const RenderOptions& options);
/// Renders and prints to streams.out; nothing is printed when anything fails.
Status RunRender(const RenderOptions& options, IoStreams streams, const ReadFileFn& read_file = ReadLocalFile);
void SetupRenderCommand(CLI::App& root, CommandContext& ctx);

}  // namespace llm

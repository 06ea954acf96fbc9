// `kubectl llm version`: the plugin's version and git commit.
#pragma once

#include <string>

#include "commands/command.h"

namespace llm {

struct VersionOptions {
  std::string output;  ///< "" (text), "json" or "yaml"
};

Status ValidateVersionOptions(const VersionOptions& options);
Status RunVersion(const VersionOptions& options, IoStreams streams);
void SetupVersionCommand(CLI::App& root, CommandContext& ctx);

}  // namespace llm

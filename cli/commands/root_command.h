// RunRootCommand: parses argv, runs one subcommand, prints its error and picks
// the exit code. main() is a thin wrapper so tests can run the whole CLI.
#pragma once

#include <string>
#include <vector>

#include "util/io_streams.h"

namespace llm {

/// Exit codes shared by every command (documented in the README).
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitUsage = 2;

/// args excludes the program name. Returns the process exit code.
int RunRootCommand(const std::vector<std::string>& args, IoStreams streams);

}  // namespace llm

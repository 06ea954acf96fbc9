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
/// `diff`: differences found (success); errors are kExitDiffError.
inline constexpr int kExitDiffFound = 1;
inline constexpr int kExitDiffError = 2;
/// `serve|train --wait`: the workload failed (crash loop, Job failed, ...).
inline constexpr int kExitWorkloadFailed = 4;
/// `serve|train|delete --wait`: --timeout passed before it was ready.
inline constexpr int kExitTimedOut = 5;

/// args excludes the program name. Returns the process exit code.
int RunRootCommand(const std::vector<std::string>& args, IoStreams streams);

}  // namespace llm

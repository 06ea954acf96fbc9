// Man pages from the command tree itself, the same definitions `--help`
// prints, so they cannot drift from it: kubectl-llm(1) for the plugin and one
// page per command and subcommand (kubectl-llm-serve(1),
// kubectl-llm-tenant-create(1) ...), each with its synopsis, description,
// options (with what each takes), kubectl's global flags, and the command's
// examples. `kubectl-llm __man DIR` writes them; the build runs it, and the
// packages install them.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "util/cli11_forward.h"

namespace llm {

/// (file name, roff text) for the root and every visible command below it.
std::vector<std::pair<std::string, std::string>> ManPages(const CLI::App& root, const std::string& version);

}  // namespace llm

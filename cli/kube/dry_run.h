// --dry-run: kubectl's three strategies, parsed once for every command that
// has the flag (kubectl's cmdutil.GetDryRunStrategy).
#pragma once

#include <initializer_list>
#include <span>
#include <string_view>

#include "util/result.h"

namespace llm::kube {

enum class DryRun {
  kNone,    ///< make the change
  kClient,  ///< print what would be sent; no cluster is contacted
  kServer,  ///< the server checks the change (admission included) and stores nothing
};

/// "none", "client", "server".
std::string_view DryRunName(DryRun dry_run);

/// What kubectl appends to a line about a change it did not make:
/// " (dry run)", " (server dry run)", or "" when the change was made.
std::string_view DryRunSuffix(DryRun dry_run);

/// `text` is the --dry-run value; "" means kNone. A value not in `accepted`
/// (kNone is always accepted) is a usage error naming the flag and listing the
/// accepted values: "--dry-run must be one of 'none', 'client' or 'server', got 'maybe'".
Result<DryRun> ParseDryRun(std::string_view text, std::span<const DryRun> accepted);
inline Result<DryRun> ParseDryRun(std::string_view text, std::initializer_list<DryRun> accepted) {
  return ParseDryRun(text, std::span<const DryRun>(accepted.begin(), accepted.size()));
}

}  // namespace llm::kube

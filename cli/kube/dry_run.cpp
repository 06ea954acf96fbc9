#include "kube/dry_run.h"

#include <string>
#include <vector>

#include <fmt/format.h>

#include "util/strings.h"

namespace llm::kube {

std::string_view DryRunName(DryRun dry_run) {
  switch (dry_run) {
    case DryRun::kNone:
      return "none";
    case DryRun::kClient:
      return "client";
    case DryRun::kServer:
      return "server";
  }
  return "none";
}

std::string_view DryRunSuffix(DryRun dry_run) {
  switch (dry_run) {
    case DryRun::kNone:
      return "";
    case DryRun::kClient:
      return " (dry run)";
    case DryRun::kServer:
      return " (server dry run)";
  }
  return "";
}

Result<DryRun> ParseDryRun(std::string_view text, std::span<const DryRun> accepted) {
  if (text.empty() || text == "none") return DryRun::kNone;
  std::vector<std::string> names = {"'none'"};
  for (DryRun dry_run : accepted) {
    if (dry_run == DryRun::kNone) continue;
    if (DryRunName(dry_run) == text) return dry_run;
    names.push_back(fmt::format("'{}'", DryRunName(dry_run)));
  }
  return Error(ErrorKind::kUsage, fmt::format("--dry-run must be {}{}, got '{}'", names.size() > 1 ? "one of " : "",
                                              JoinWithOr(names), text));
}

}  // namespace llm::kube

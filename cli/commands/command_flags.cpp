#include "commands/command_flags.h"

#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "util/strings.h"

namespace llm {

void AddOutputFlag(CLI::App* cmd, std::string& target, std::span<const OutputFormat> accepted,
                   std::string_view when_empty) {
  const std::vector<std::string> names = AcceptedOutputNames(accepted);
  cmd->add_option("-o,--output", target, fmt::format("Output format: {} (default: {})", JoinWithOr(names), when_empty));
}

void AddDryRunFlag(CLI::App* cmd, std::string& target, std::span<const kube::DryRun> accepted,
                   std::string_view meaning) {
  std::vector<std::string> names = {"none (default)"};
  for (kube::DryRun dry_run : accepted) {
    if (dry_run != kube::DryRun::kNone) names.emplace_back(kube::DryRunName(dry_run));
  }
  cmd->add_option("--dry-run", target, fmt::format("{}: {}", JoinWithOr(names), meaning));
}

}  // namespace llm

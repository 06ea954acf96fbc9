#include "commands/version_command.h"

#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/build_info.h"

namespace llm {
namespace {

std::string Platform() {
#if defined(__linux__)
  const char* os = "linux";
#elif defined(__APPLE__)
  const char* os = "darwin";
#else
  const char* os = "unknown";
#endif
#if defined(__x86_64__)
  const char* arch = "amd64";
#elif defined(__aarch64__)
  const char* arch = "arm64";
#else
  const char* arch = "unknown";
#endif
  return fmt::format("{}/{}", os, arch);
}

/// Field names follow `kubectl version -o json` so scripts can read both alike.
nlohmann::ordered_json ClientVersionJson() {
  const BuildInfo& info = GetBuildInfo();
  return {{"gitVersion", info.version},
          {"gitCommit", info.git_commit},
          {"gitTreeState", info.tree_state},
          {"compiler", fmt::format("gcc {}.{}", __GNUC__, __GNUC_MINOR__)},
          {"platform", Platform()}};
}

}  // namespace

Status ValidateVersionOptions(const VersionOptions& options) {
  if (options.output.empty() || options.output == "json" || options.output == "yaml") return Ok();
  return Error(ErrorKind::kUsage,
               fmt::format("--output must be one of 'yaml' or 'json', got '{}'", options.output));
}

Status RunVersion(const VersionOptions& options, IoStreams streams) {
  LLM_RETURN_IF_ERROR(ValidateVersionOptions(options));
  nlohmann::ordered_json doc = {{"clientVersion", ClientVersionJson()}};
  if (options.output == "json") {
    streams.out << doc.dump(2) << "\n";
  } else if (options.output == "yaml") {
    streams.out << "clientVersion:\n";
    for (const auto& [key, value] : doc["clientVersion"].items()) {
      streams.out << "  " << key << ": " << value.get<std::string>() << "\n";
    }
  } else {
    const BuildInfo& info = GetBuildInfo();
    streams.out << fmt::format("Client Version: {} (commit {}, {})\n", info.version, info.git_commit,
                               Platform());
  }
  return Ok();
}

void SetupVersionCommand(CLI::App& root, CommandContext& ctx) {
  auto options = std::make_shared<VersionOptions>();
  CLI::App* cmd = root.add_subcommand("version", "Print the plugin version and git commit");
  cmd->add_option("-o,--output", options->output, "Output format: yaml or json");
  cmd->callback([options, &ctx] { ctx.Finish(RunVersion(*options, ctx.streams)); });
}

}  // namespace llm

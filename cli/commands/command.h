// The shape every subcommand shares: a row in the command table (name and
// summary, from which the root makes the CLI11 subcommand) whose setup function
// registers flags on it and sets a callback that runs the command with
// injected streams and reports a Status through the context.
#pragma once

#include <algorithm>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "commands/global_options.h"
#include "util/cli11_forward.h"
#include "util/io_streams.h"
#include "util/result.h"

namespace llm {

/// Shared by the root command and the subcommand that runs.
struct CommandContext {
  IoStreams streams;
  GlobalOptions& global;
  /// What the command that ran reported. Only RunRootCommand turns it into text.
  Status status;
  /// Exit code on success; commands such as `diff` use 1 for "differences found".
  int exit_code = 0;
  /// Exit code when `status` is an error other than a usage error (default 1):
  /// `diff` uses 2, `serve --wait` 4 (workload failed) and 5 (timed out),
  /// validate-nodes 3 ("could not run", so scripts tell it from "bad nodes").
  std::optional<int> error_exit_code;

  void Finish(Status s) { status = std::move(s); }

  /// Whether this run needs a command's own subcommand `name` (render's serve)
  /// built, with its flags. Building costs (CLI11 checks each new flag against
  /// the command's others), and building every command was most of a
  /// `version`'s run; so a run builds what it may parse: the subcommands its
  /// words name (a word that is a flag's value builds one more, which is
  /// harmless), or all of them for completion and the man pages, which walk
  /// the tree. A help listing shows the names and summaries of all, built or
  /// not. The root's own commands: RootCommandsToBuild.
  bool Builds(std::string_view name) const {
    return BuildsAll() || std::find(global.args.begin(), global.args.end(), name) != global.args.end();
  }
  /// Completion and the man pages walk the whole tree.
  bool BuildsAll() const {
    return !global.args.empty() && (global.args.front() == "__complete" || global.args.front() == "__man");
  }
};

using SetupCommandFn = void (*)(CLI::App* cmd, CommandContext& ctx);

/// One row of the command table (ninja's kTools): drives dispatch, help and completion.
struct CommandSpec {
  const char* name;
  const char* group;    ///< the heading `kubectl llm --help` lists it under: Deploy, Operate, Nodes, Tenants, Other
  const char* summary;  ///< the line `kubectl llm --help` shows, and the command's own help
  SetupCommandFn setup;
  /// The end of its --help: "Examples:" and a few command lines, each with what it does.
  const char* examples = "";
};

/// Every subcommand, in the order `kubectl llm --help` lists them.
std::span<const CommandSpec> AllCommands();

/// The root's commands this run builds, in the order its words name them:
/// every one for completion and the man pages (BuildsAll), else those it may
/// dispatch to. CLI11 runs the first word naming one that is not a flag's
/// value. A word right after a flag ("-n serve") may be that value, so it is
/// built and the search goes on; the first after any other word is the
/// command, and ends it. So `render serve` builds render alone (its serve is
/// render's own). Empty when no word names a command (--help, a misspelt one).
std::vector<const CommandSpec*> RootCommandsToBuild(const CommandContext& ctx);

}  // namespace llm

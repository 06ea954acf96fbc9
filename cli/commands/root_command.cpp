#include "commands/root_command.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "commands/command.h"
#include "commands/completion_command.h"
#include "commands/help_formatter.h"
#include "commands/man_page.h"
#include "kube/config_flags.h"
#include "kube/rest_client_impl.h"
#include "util/build_info.h"

namespace llm {
namespace {

constexpr const char* kRootDescription =
    "kubectl llm: train and serve large language models on Kubernetes.\n\n"
    "Renders training and serving manifests, applies them with server-side apply,\n"
    "follows them until they work (or explains why not), and validates GPU nodes.";

int ExitCodeFor(const Error& error) { return error.kind() == ErrorKind::kUsage ? kExitUsage : kExitError; }

/// kubectl prints server errors as they come ("Error from server (NotFound): ...")
/// and prefixes everything else with "error: ".
std::string FormatError(const Error& error) {
  const std::string& msg = error.message();
  for (const char* raw : {"Error from server", "The connection to the server", "Unable to connect", "error: "}) {
    if (msg.starts_with(raw)) return msg;
  }
  // kubectl prints an Invalid object's causes as they are ("The Deployment "x" is invalid: ...").
  if (error.kind() == ErrorKind::kInvalid && msg.starts_with("The ")) return msg;
  return "error: " + msg;
}

}  // namespace

std::vector<const CommandSpec*> RootCommandsToBuild(const CommandContext& ctx) {
  const std::span<const CommandSpec> commands = AllCommands();
  std::vector<const CommandSpec*> built;
  if (ctx.BuildsAll()) {
    for (const CommandSpec& spec : commands) built.push_back(&spec);
    return built;
  }
  const std::vector<std::string>& words = ctx.global.args;
  for (size_t i = 0; i < words.size(); ++i) {
    const auto named =
        std::find_if(commands.begin(), commands.end(), [&](const CommandSpec& spec) { return words[i] == spec.name; });
    if (named == commands.end()) continue;
    if (std::find(built.begin(), built.end(), &*named) == built.end()) built.push_back(&*named);
    if (i == 0 || !words[i - 1].starts_with("-")) break;  // the command this run dispatches to
  }
  return built;
}

int RunRootCommand(const std::vector<std::string>& args, IoStreams streams) {
  GlobalOptions global;
  global.args = args;
  CommandContext ctx{streams, global, Ok(), kExitOk, std::nullopt};

  CLI::App app(kRootDescription, "kubectl llm");
  app.require_subcommand(0, 1);
  app.fallthrough();
  app.formatter(std::make_shared<HelpFormatter>());  // before the subcommands, which copy it
  // A run that names a command has only those it may dispatch to: each subcommand
  // costs CLI11 a help flag of its own, a twentieth of `render serve` for all.
  // Naming none (--help, a typo) it has them all, to list or to say what it expected.
  const std::vector<const CommandSpec*> built = RootCommandsToBuild(ctx);
  // The same for the connection flags: those its words may name, unless it lists them.
  global.lists_flags = ctx.BuildsAll() || built.empty() || kube::MayNameFlag(args, "-h,--help");
  global.AddConnectionFlags(app);
  for (const CommandSpec& spec : AllCommands()) {
    const bool builds = std::find(built.begin(), built.end(), &spec) != built.end();
    if (!built.empty() && !builds) continue;
    CLI::App* sub = app.add_subcommand(spec.name, spec.summary);
    sub->group(spec.group);
    if (!builds) continue;
    spec.setup(sub, ctx);
    // After what the command says of itself at the end of its help (serve's values and patches).
    if (*spec.examples != '\0') {
      const std::string own = sub->get_footer();
      sub->footer(own.empty() ? std::string(spec.examples) : own + "\n\n" + spec.examples);
    }
  }
  // A subcommand that takes a trailing command (train) keeps its leftovers
  // (AddWorkloadFlags turned fallthrough off); the others pass unknown flags up.
  for (CLI::App* sub : app.get_subcommands({})) {
    if (!sub->get_allow_extras()) sub->fallthrough();
  }

  if (!args.empty() && args.front() == "__man") {
    // The build step that writes the man pages (CMake target generated_docs): DIR/kubectl-llm*.1.
    if (args.size() != 2) {
      streams.err << "error: usage: kubectl-llm __man DIR\n";
      return kExitUsage;
    }
    std::error_code made;
    std::filesystem::create_directories(args[1], made);
    for (const auto& [file, text] : ManPages(app, GetBuildInfo().version)) {
      std::ofstream page(args[1] + "/" + file, std::ios::trunc);
      page << text;
      if (!page.good()) {
        streams.err << "error: cannot write " << args[1] << "/" << file << "\n";
        return kExitError;
      }
    }
    return kExitOk;
  }
  if (!args.empty() && args.front() == "__complete") {
    const std::vector<std::string> words(args.begin() + 1, args.end());
    streams.out << CompleteWords(app, words, ClusterCompletionSources(words));
    return kExitOk;
  }

  // CLI11 wants argv in reverse order when given a vector.
  std::vector<std::string> normalized = kube::NormalizeShortFlagValues(args);
  std::vector<std::string> reversed(normalized.rbegin(), normalized.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    streams.out << app.help();
    return kExitOk;
  } catch (const CLI::CallForAllHelp&) {
    streams.out << app.help("", CLI::AppFormatMode::All);
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    // The help of the (sub)command being parsed, as kubectl points at `kubectl scale -h`.
    std::string command = "kubectl llm";
    for (const CLI::App* at = &app; !at->get_subcommands().empty();) {
      at = at->get_subcommands().front();
      command += " " + at->get_name();
    }
    streams.err << "error: " << e.what() << "\n"
                << "See '" << command << " --help' for usage.\n";
    return kExitUsage;
  }
  if (app.get_subcommands().empty()) {
    streams.out << app.help();
    return kExitOk;
  }
  if (!ctx.status.ok()) {
    streams.err << FormatError(ctx.status.error()) << "\n";
    if (ctx.error_exit_code && ctx.status.error().kind() != ErrorKind::kUsage) return *ctx.error_exit_code;
    return ExitCodeFor(ctx.status.error());
  }
  // kubectl checks after a command that succeeded (its PersistentPostRunE).
  if (const int warnings = kube::ServerWarningsReceived();
      global.kube.warnings_as_errors && warnings > 0 && ctx.exit_code == kExitOk) {
    streams.err << fmt::format("error: {} warning{} received\n", warnings, warnings == 1 ? "" : "s");
    return kExitError;
  }
  return ctx.exit_code;
}

}  // namespace llm

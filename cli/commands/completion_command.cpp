#include "commands/completion_command.h"

#include <memory>

#include <fmt/format.h>

namespace llm {
namespace {

// Cobra's ShellCompDirectiveNoFileComp: kubectl (and our scripts) then offer no file names.
constexpr int kNoFileCompletion = 4;

// Each script asks the binary itself (`kubectl-llm __complete WORDS... CURRENT`),
// so completion always matches the commands and flags of the installed version.
constexpr const char* kBashScript =
    R"SH(# bash completion for kubectl-llm. Load with: source <(kubectl-llm completion bash)
_kubectl_llm() {
  local cur=${COMP_WORDS[COMP_CWORD]}
  local out
  out=$(kubectl-llm __complete "${COMP_WORDS[@]:1:COMP_CWORD-1}" "$cur" 2>/dev/null) || return
  COMPREPLY=($(compgen -W "$(grep -v '^:' <<<"$out")" -- "$cur"))
}
complete -F _kubectl_llm kubectl-llm
)SH";

constexpr const char* kZshScript = R"SH(#compdef kubectl-llm
# zsh completion for kubectl-llm. Load with: source <(kubectl-llm completion zsh)
_kubectl_llm() {
  local -a candidates
  candidates=(${(f)"$(kubectl-llm __complete "${(@)words[2,CURRENT-1]}" "${words[CURRENT]}" 2>/dev/null | grep -v '^:')"})
  compadd -- $candidates
}
compdef _kubectl_llm kubectl-llm
)SH";

constexpr const char* kFishScript =
    R"SH(# fish completion for kubectl-llm. Load with: kubectl-llm completion fish | source
function __kubectl_llm_complete
  set -l words (commandline -opc)
  set -e words[1]
  kubectl-llm __complete $words (commandline -ct) 2>/dev/null | string match -v -r '^:'
end
complete -c kubectl-llm -f -a '(__kubectl_llm_complete)'
)SH";

bool IsVisible(const CLI::App* app) { return !app->get_group().empty(); }

const CLI::App* FindSubcommand(const CLI::App& app, const std::string& name) {
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->get_name() == name && IsVisible(sub)) return sub;
  }
  return nullptr;
}

void AddOptionNames(const CLI::App& app, const std::string& prefix, std::vector<std::string>& out) {
  for (const CLI::Option* option : app.get_options()) {
    for (const std::string& name : option->get_lnames()) {
      std::string flag = "--" + name;
      if (flag.starts_with(prefix)) out.push_back(flag);
    }
  }
}

}  // namespace

Result<std::string> CompletionScript(const std::string& shell) {
  if (shell == "bash") return std::string(kBashScript);
  if (shell == "zsh") return std::string(kZshScript);
  if (shell == "fish") return std::string(kFishScript);
  return Error(ErrorKind::kUsage,
               fmt::format("unsupported shell '{}': the accepted shells are bash, zsh and fish", shell));
}

std::string CompleteWords(const CLI::App& root, const std::vector<std::string>& args) {
  const std::string current = args.empty() ? "" : args.back();
  const CLI::App* command = &root;
  for (size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i].starts_with("-")) continue;
    if (const CLI::App* sub = FindSubcommand(*command, args[i])) command = sub;
  }

  std::vector<std::string> candidates;
  if (current.starts_with("-")) {
    AddOptionNames(*command, current, candidates);
    if (command != &root) AddOptionNames(root, current, candidates);  // global flags fall through
  } else {
    for (const CLI::App* sub : command->get_subcommands([](const CLI::App*) { return true; })) {
      if (IsVisible(sub) && sub->get_name().starts_with(current)) candidates.push_back(sub->get_name());
    }
  }
  std::string out;
  for (const std::string& c : candidates) out += c + "\n";
  out += fmt::format(":{}\n", kNoFileCompletion);
  return out;
}

void SetupCompletionCommand(CLI::App* cmd, CommandContext& ctx) {
  auto shell = std::make_shared<std::string>();
  cmd->add_option("shell", *shell, "bash, zsh or fish")->required();
  cmd->footer(
      "\nExamples:\n  source <(kubectl-llm completion bash)\n  kubectl-llm completion fish | source\n"
      "For `kubectl llm` itself, put kubectl_complete-llm (installed next to kubectl-llm) on PATH.");
  cmd->callback([shell, &ctx] {
    Result<std::string> script = CompletionScript(*shell);
    if (!script.ok()) return ctx.Finish(script.error());
    ctx.streams.out << *script;
    ctx.Finish(Ok());
  });
}

}  // namespace llm

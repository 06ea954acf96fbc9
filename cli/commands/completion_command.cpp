#include "commands/completion_command.h"

#include <memory>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "commands/completion_values.h"

namespace llm {
namespace {

// Each script asks the binary itself (`kubectl-llm __complete WORDS... CURRENT`),
// so completion always matches the commands and flags of the installed version.
constexpr const char* kBashScript =
    R"SH(# bash completion for kubectl-llm. Load with: source <(kubectl-llm completion bash)
_kubectl_llm() {
  local cur=${COMP_WORDS[COMP_CWORD]}
  local out
  out=$(kubectl-llm __complete "${COMP_WORDS[@]:1:COMP_CWORD-1}" "$cur" 2>/dev/null) || return
  local directive=$(grep '^:' <<<"$out" | tail -n 1)
  COMPREPLY=($(compgen -W "$(grep -v '^:' <<<"$out")" -- "$cur"))
  if [[ ${#COMPREPLY[@]} -eq 0 ]]; then
    # Cobra's directives: 0 file names, 16 directories only.
    case ${directive#:} in
      0) COMPREPLY=($(compgen -f -- "$cur")) ;;
      16) COMPREPLY=($(compgen -d -- "$cur")) ;;
    esac
  fi
}
complete -F _kubectl_llm kubectl-llm
)SH";

constexpr const char* kZshScript = R"SH(#compdef kubectl-llm
# zsh completion for kubectl-llm. Load with: source <(kubectl-llm completion zsh)
_kubectl_llm() {
  local out directive
  local -a candidates
  out="$(kubectl-llm __complete "${(@)words[2,CURRENT-1]}" "${words[CURRENT]}" 2>/dev/null)"
  directive=${${(M)${(f)out}:#:*}[-1]#:}
  candidates=(${(f)"$(print -r -- "$out" | grep -v '^:')"})
  if (( ${#candidates} )); then
    compadd -- $candidates
  elif [[ $directive == 0 ]]; then
    _files
  elif [[ $directive == 16 ]]; then
    _files -/
  fi
}
compdef _kubectl_llm kubectl-llm
)SH";

constexpr const char* kFishScript =
    R"SH(# fish completion for kubectl-llm. Load with: kubectl-llm completion fish | source
function __kubectl_llm_complete
  set -l words (commandline -opc)
  set -e words[1]
  set -l out (kubectl-llm __complete $words (commandline -ct) 2>/dev/null)
  set -l candidates (string match -v -r '^:' -- $out)
  set -l directive (string replace -r '^:' '' -- (string match -r '^:.*' -- $out))
  if test (count $candidates) -gt 0
    printf '%s\n' $candidates
  else if test "$directive[-1]" = 0
    __fish_complete_path (commandline -ct)
  else if test "$directive[-1]" = 16
    __fish_complete_directories (commandline -ct)
  end
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

/// The option `word` names on `command` or the root (global flags), if it takes a value.
const CLI::Option* FindValueOption(const CLI::App& command, const CLI::App& root, const std::string& word) {
  for (const CLI::App* app : {&command, &root}) {
    for (const CLI::Option* option : app->get_options()) {
      if (option->nonpositional() && option->check_name(word)) return option->get_type_size() == 0 ? nullptr : option;
    }
  }
  return nullptr;
}

/// The visible positional that the `index`-th positional word fills (a
/// repeatable one, such as NODE, takes every word from its place on).
const CLI::Option* NthPositional(const CLI::App& command, size_t index) {
  size_t at = 0;
  for (const CLI::Option* option : command.get_options()) {
    if (option->nonpositional() || option->get_group().empty()) continue;
    if (at == index || (at < index && option->get_items_expected_max() > 1)) return option;
    ++at;
  }
  return nullptr;
}

}  // namespace

Result<std::string> CompletionScript(const std::string& shell) {
  if (shell == "bash") return std::string(kBashScript);
  if (shell == "zsh") return std::string(kZshScript);
  if (shell == "fish") return std::string(kFishScript);
  return Error(ErrorKind::kUsage,
               fmt::format("unsupported shell '{}': the accepted shells are bash, zsh and fish", shell));
}

std::string CompleteWords(const CLI::App& root, const std::vector<std::string>& args,
                          const CompletionSources& sources) {
  const std::string current = args.empty() ? "" : args.back();
  const CLI::App* command = &root;
  const CLI::Option* pending = nullptr;  // a flag whose value the next word is
  size_t positionals = 0;                // positional words given to `command` so far
  for (size_t i = 0; i + 1 < args.size(); ++i) {
    const std::string& word = args[i];
    if (pending != nullptr) {
      pending = nullptr;
      continue;
    }
    if (word == "--") return fmt::format(":{}\n", kCompleteFiles);  // the trailing command's own words
    if (word.starts_with("-")) {
      if (word.find('=') == std::string::npos) pending = FindValueOption(*command, root, word);
      continue;
    }
    if (const CLI::App* sub = FindSubcommand(*command, word)) {
      command = sub;
      positionals = 0;
      continue;
    }
    ++positionals;
  }

  std::vector<std::string> candidates;
  int directive = kCompleteNoFiles;
  auto add_values = [&](const CompletionValues& values) {
    for (const std::string& value : values.candidates) {
      if (value.starts_with(current)) candidates.push_back(value);
    }
    directive = values.directive;
  };
  if (current.starts_with("-")) {
    AddOptionNames(*command, current, candidates);
    if (command != &root) AddOptionNames(root, current, candidates);  // global flags fall through
  } else if (pending != nullptr) {
    add_values(FlagValues(*command, *pending, sources));
  } else {
    for (const CLI::App* sub : command->get_subcommands([](const CLI::App*) { return true; })) {
      if (IsVisible(sub) && sub->get_name().starts_with(current)) candidates.push_back(sub->get_name());
    }
    if (const CLI::Option* positional = NthPositional(*command, positionals)) {
      add_values(PositionalValues(*command, positional->get_name(), "", sources));
    }
  }
  std::string out;
  for (const std::string& c : candidates) out += c + "\n";
  out += fmt::format(":{}\n", directive);
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

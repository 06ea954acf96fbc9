// `kubectl llm completion bash|zsh|fish`, and the candidates behind the hidden
// `__complete` command that the scripts and kubectl's plugin completion
// (`kubectl_complete-llm`) call. RunRootCommand answers `__complete` before
// parsing, since the words to complete are not valid arguments yet.
#pragma once

#include <string>
#include <vector>

#include "commands/command.h"
#include "commands/completion_values.h"

namespace llm {

/// The completion script for `shell` ("bash", "zsh" or "fish").
Result<std::string> CompletionScript(const std::string& shell);

/// Candidates for the last word of `args` (the words after `kubectl llm`, the
/// last one being the word under the cursor, "" for a new word), one per line,
/// then Cobra's directive line ":4" (no file completion), as kubectl expects
/// from a plugin's completion helper.
std::string CompleteWords(const CLI::App& root, const std::vector<std::string>& args,
                          const CompletionSources& sources = {});

void SetupCompletionCommand(CLI::App* cmd, CommandContext& ctx);

}  // namespace llm

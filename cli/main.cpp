// kubectl-llm entry point. kubectl execs this binary for `kubectl llm ...`.
#include <string>
#include <string_view>
#include <vector>

#include "commands/root_command.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  // Linked as kubectl_complete-llm (krew installs only one binary), this is
  // kubectl's plugin-completion helper: the same words go to `__complete`.
  std::string_view self = argv[0];
  if (self.substr(self.find_last_of('/') + 1) == "kubectl_complete-llm") {
    args.insert(args.begin(), "__complete");
  }
  return llm::RunRootCommand(args, llm::IoStreams::Std());
}

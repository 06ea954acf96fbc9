// kubectl-llm entry point. kubectl execs this binary for `kubectl llm ...`.
#include <string>
#include <vector>

#include "commands/root_command.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return llm::RunRootCommand(args, llm::IoStreams::Std());
}

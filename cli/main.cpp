// kubectl-llm entry point. kubectl execs this binary for `kubectl llm ...`.
#include <malloc.h>

#include <string>
#include <string_view>
#include <vector>

#include "commands/root_command.h"

int main(int argc, char** argv) {
  // One malloc arena for every thread. glibc gives each new thread its own
  // (up to 8 per core), and memory freed in one stays with it: validate-nodes'
  // watch and request threads parse thousands of events each, so on 1,000
  // nodes its peak RSS was 128 MiB with per-thread arenas and 90 MiB with one
  // (tests/bench/validate_nodes_bench.sh). The threads wait on the network,
  // not on each other's allocations.
  mallopt(M_ARENA_MAX, 1);
  std::vector<std::string> args(argv + 1, argv + argc);
  // Linked as kubectl_complete-llm (krew installs only one binary), this is
  // kubectl's plugin-completion helper: the same words go to `__complete`.
  std::string_view self = argv[0];
  if (self.substr(self.find_last_of('/') + 1) == "kubectl_complete-llm") {
    args.insert(args.begin(), "__complete");
  }
  return llm::RunRootCommand(args, llm::IoStreams::Std());
}

// RunCommand: runs a program to completion and captures its output, for
// integration tests that drive kubectl-llm (and the cluster's kubectl) as a
// user would.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace llm::testing {

struct CommandOutput {
  int exit_code = -1;  ///< -1 when the program could not be started or was killed
  std::string out;
  std::string err;
};

/// Called with the child's pid once it runs (e.g. to send it a signal from
/// another thread while RunCommand waits for it).
using OnStarted = std::function<void(int pid)>;

/// argv[0] is the program path. `env` entries ("K=V") replace or extend the
/// inherited environment; `input` is written to the program's stdin.
CommandOutput RunCommand(const std::vector<std::string>& argv, const std::vector<std::string>& env = {},
                         const std::string& input = "", const OnStarted& on_started = {});

}  // namespace llm::testing

// RunCommand: runs a program to completion and captures its output, for
// integration tests that drive kubectl-llm (and the cluster's kubectl) as a
// user would.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace llm::testing {

struct CommandOutput {
  int exit_code = -1;   ///< -1 when the program could not be started or was killed
  int term_signal = 0;  ///< the signal that ended it (a crash, or one a watcher sent), else 0
  std::string out;
  std::string err;
};

/// Called with the child's pid once it runs (e.g. to send it a signal from
/// another thread while RunCommand waits for it).
using OnStarted = std::function<void(int pid)>;

/// Called whenever output arrives and at least every 100 ms while the program
/// runs, with its output so far and the time since it started (to strike a
/// fault at a moment of its run, or to give up on it); returns a signal to send
/// it (SIGINT, SIGKILL), or 0.
using OutputWatcher = std::function<int(const CommandOutput& so_far, std::chrono::milliseconds elapsed)>;

/// argv[0] is the program path. `env` entries ("K=V") replace or extend the
/// inherited environment; `input` is written to the program's stdin.
CommandOutput RunCommand(const std::vector<std::string>& argv, const std::vector<std::string>& env = {},
                         const std::string& input = "", const OnStarted& on_started = {},
                         const OutputWatcher& watcher = {});

}  // namespace llm::testing

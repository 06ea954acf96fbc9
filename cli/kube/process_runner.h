// ProcessRunner: runs a program and captures its stdout (exec credential
// plugins). Behind an interface so unit tests fake the plugin.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "util/result.h"

namespace llm::kube {

struct ProcessSpec {
  std::string command;  ///< a path, or a name looked up on PATH
  std::vector<std::string> args;
  /// Added to (or replacing in) the parent's environment.
  std::vector<std::pair<std::string, std::string>> env;
  /// Interactive plugins read the terminal; otherwise stdin is /dev/null.
  bool pass_stdin = false;
  /// When > 0, a run still going after this long is killed (SIGKILL) and is
  /// an Error of kind kTimeout.
  std::chrono::milliseconds timeout{0};
};

struct ProcessResult {
  int exit_code = 0;
  std::string stdout_data;
};

class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  /// Runs to completion (or spec.timeout). A missing executable is an Error
  /// of kind kNotFound; a non-zero exit is a result, not an Error.
  virtual Result<ProcessResult> Run(const ProcessSpec& spec) = 0;
};

/// posix_spawn; stderr is inherited so a plugin's prompts and messages reach
/// the user's terminal, as with kubectl.
class PosixProcessRunner final : public ProcessRunner {
 public:
  Result<ProcessResult> Run(const ProcessSpec& spec) override;
};

/// Whether our stdin is a terminal (exec plugins' "interactive").
bool StdinIsTerminal();

}  // namespace llm::kube

// The commands of a user's day that the fault suite runs under every scenario
// (fault_harness.h), one row each: how to run it in the scenario's namespace,
// which exit codes its README documents for a failure, when it has begun to
// write and to wait (so a fault can strike then), what lets its wait end, and
// how the cluster must look afterwards.
#pragma once

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "faults/gated_gpu_nodes.h"
#include "integration/run_command.h"

namespace llm::testing {

/// What the commands of one scenario share: its namespace (with the workload
/// "base", made beforehand without the fault, that status, scale and logs
/// look at) and the GPU nodes validate-nodes tests.
struct FaultScene {
  std::string ns;
  std::unique_ptr<GatedGpuNodes> gpu_nodes;
  int markers = 0;          ///< log lines written by release (logs -f)
  std::string last_marker;  ///< the last of them
};

struct CommandCase {
  std::string name;
  std::function<std::vector<std::string>(const FaultScene&)> args = nullptr;
  std::set<int> failure_codes = {};  ///< documented exit codes of a clear failure
  /// Whether the output so far shows the command has begun waiting (after the
  /// request it waits after, or its first streamed line); null: it never waits.
  std::function<bool(const CommandOutput&)> began_waiting = nullptr;
  /// Whether the output so far shows its first write was answered; null: it writes nothing.
  std::function<bool(const CommandOutput&)> began_writing = nullptr;
  /// Lets the wait end, 4 s into it once no fault is in force: the Deployment's
  /// finalizer lifted, the self-tests answered, a log line written. Null: the
  /// wait ends by itself.
  std::function<void(FaultScene&)> release = nullptr;
  /// For a command that follows until interrupted (logs -f): whether its
  /// output shows what release wrote; then it is sent SIGINT, as a user would.
  std::function<bool(const CommandOutput&, const FaultScene&)> followed = nullptr;
  /// Judges a failed run's output: the clear error, or "" when it is not
  /// clear. Null: one error line, the last one on stderr.
  std::function<std::string(const CommandOutput&)> clear_failure = nullptr;
  /// The rerun's result, when exit 0 is not the only one that converges.
  std::function<bool(const CommandOutput&)> converged = nullptr;
  /// Before each run (first and rerun).
  std::function<void(FaultScene&)> before = nullptr;
  /// After the first run, before the rerun: "" or what is wrong.
  std::function<std::string(const CommandOutput&, FaultScene&)> check_first = nullptr;
  /// After the rerun: "" or what is wrong (duplicates, orphans, lost objects).
  std::function<std::string(FaultScene&)> check = nullptr;
};

/// serve --wait, train --wait, status, scale, logs -f, validate-nodes --record, delete --wait.
std::vector<CommandCase> Commands();

}  // namespace llm::testing

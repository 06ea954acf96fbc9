// The fault suite's harness: a scenario (a fault, when it strikes, how long it
// lasts) run under each command of a user's day, each cell judged the same way:
// - the command succeeds, or stops with one clear error line and an exit code
//   the README documents for it (a hang, a crash, anything else: a defect);
// - running it again without the fault succeeds (it converges);
// - the namespace then holds exactly the workload's objects: none twice, none
//   outside its ApplySet, none lost; validate-nodes recorded no verdict it
//   did not see a self-test reach, and left no pod behind.
// The commands and how each is judged are in fault_commands.h.
// Every command runs at -v=6, so a cell also says which answers it got
// (429, 410, 5xx, transport errors) and retried; those log lines are left out
// when its error is judged.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "faults/fault_proxy.h"

namespace llm::testing {

/// When a scenario strikes, relative to the command it runs under.
enum class Moment {
  kFromStart,    ///< in force before the command starts
  kDuringWait,   ///< 1.5 s after the command applied (serve) or deleted (delete) and began
                 ///< waiting; from the start for a command that does not wait
  kDuringApply,  ///< as soon as the command's first write is answered, while the others
                 ///< are sent; from the start for a command that writes nothing
};

/// What a scenario's functions get: the proxy the command goes through.
struct FaultContext {
  FaultProxy& proxy;
  std::string user;  ///< the kubeconfig the commands run as (through the proxy)
  std::string ns;    ///< the scenario's namespace, once RunScenario made it
};

struct Scenario {
  std::string name;
  std::string fault;  ///< the fault and its moment, for the table
  Moment moment;
  /// How long the fault lasts once struck; zero: until the command ends.
  std::chrono::milliseconds window;
  std::function<void(FaultContext&)> strike;
  std::function<void(FaultContext&)> heal;
  /// Before each command (not before its rerun): a fault that takes a while to
  /// set up, in force from the command's first request.
  std::function<void(FaultContext&)> prepare = nullptr;
  /// After the fault, before each command's rerun: waits until the control
  /// plane has recovered from it (the API server restarts: see
  /// RestartControllers), so that the rerun is judged on the plugin.
  std::function<void(FaultContext&)> settle = nullptr;
};

struct Cell {
  std::string outcome;  ///< "pass", "clear failure", "defect"
  std::string detail;   ///< the error line, what was retried, or what went wrong
};

/// Runs every command of the suite under `scenario` in a namespace of its own
/// (a workload made beforehand without the fault for status and scale), each
/// followed by its rerun and the checks; fails the test on a defect. The row
/// is added to <cluster dir>/fault-table.md and printed.
std::vector<Cell> RunScenario(const Scenario& scenario, FaultContext& fault);

/// A fault proxy and an admin kubeconfig through it, then RunScenario.
void RunAsAdmin(const Scenario& scenario);

}  // namespace llm::testing

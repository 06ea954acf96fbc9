#include "faults/fault_harness.h"

#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <utility>

#include <doctest/doctest.h>

#include "faults/fault_commands.h"
#include "faults/fault_output.h"
#include "integration/kube_client.h"
#include "integration/test_cluster.h"

namespace llm::testing {
namespace {

using namespace std::chrono_literals;

/// A command that outlives this is a hang.
constexpr auto kHangAfter = 150s;
/// Waits under a fault are let end (CommandCase::release) this long after they
/// began, once no fault is in force; a rerun's at once.
constexpr auto kReleaseAfter = 4s;
/// A follow that has not shown what release wrote this long after is silent.
constexpr auto kFollowLimit = 20s;

struct Run {
  CommandOutput output;
  bool struck = false;
  bool hung = false;
  bool released = false;
  bool interrupted = false;  ///< a follow sent SIGINT by the harness, as a user ends it
  bool followed = false;     ///< ... after it showed what release wrote
};

/// Runs `command` in the scene, with `scenario` (null: none) striking at its moment.
Run RunUnderFault(const CommandCase& command, const Scenario* scenario, FaultContext& fault, FaultScene& scene) {
  if (command.before) command.before(scene);
  Run run;
  bool healed = false;
  std::chrono::milliseconds struck_at{0};
  std::chrono::milliseconds released_at{0};
  std::optional<std::chrono::milliseconds> waiting_since;
  const bool waits = command.began_waiting != nullptr;
  auto strike = [&](std::chrono::milliseconds at) {
    scenario->strike(fault);
    run.struck = true;
    struck_at = at;
  };
  auto heal = [&] {
    if (run.struck && !healed) scenario->heal(fault);
    healed = true;
  };
  if (scenario != nullptr) {
    if (scenario->prepare) scenario->prepare(fault);
    const bool at_start = scenario->moment == Moment::kFromStart ||
                          (scenario->moment == Moment::kDuringWait && !waits) ||
                          (scenario->moment == Moment::kDuringApply && !command.began_writing);
    if (at_start) strike(0ms);
  }
  std::vector<std::string> argv = {KUBECTL_LLM_BINARY, "-v=6"};
  for (std::string& arg : command.args(scene)) argv.push_back(std::move(arg));
  const TestCluster& cluster = TestCluster::Get();
  OutputWatcher watch = [&](const CommandOutput& so_far, std::chrono::milliseconds elapsed) -> int {
    if (waits && !waiting_since && command.began_waiting(so_far)) waiting_since = elapsed;
    if (scenario != nullptr && !run.struck) {
      if ((scenario->moment == Moment::kDuringWait && waiting_since && elapsed - *waiting_since >= 1500ms) ||
          (scenario->moment == Moment::kDuringApply && command.began_writing(so_far))) {
        strike(elapsed);
      }
    }
    if (run.struck && !healed && scenario->window.count() > 0 && elapsed - struck_at >= scenario->window) heal();
    // Without a fault (the rerun) nothing needs the wait to last.
    const auto release_after = scenario != nullptr ? std::chrono::milliseconds(kReleaseAfter) : 0ms;
    if (command.release && !run.released && waiting_since && elapsed - *waiting_since >= release_after &&
        (!run.struck || healed || scenario->window.count() == 0)) {
      command.release(scene);
      run.released = true;
      released_at = elapsed;
    }
    if (command.followed && run.released && !run.interrupted) {
      run.followed = command.followed(so_far, scene);
      if (run.followed || elapsed - released_at > kFollowLimit) {
        run.interrupted = true;
        return SIGINT;
      }
    }
    if (elapsed > kHangAfter && !run.hung) {
      run.hung = true;
      return SIGKILL;
    }
    return 0;
  };
  run.output = RunCommand(
      argv, {"KUBECONFIG=" + cluster.Kubeconfig(fault.user), "KUBECACHEDIR=" + cluster.dir() + "/kube-cache-faults"},
      "", {}, watch);
  if (scenario != nullptr) heal();
  return run;
}

Cell Judge(const CommandCase& command, const Run& run) {
  const CommandOutput& r = run.output;
  std::vector<std::string> lines = UserLines(r.err);
  std::string tail;
  for (size_t i = lines.size() > 3 ? lines.size() - 3 : 0; i < lines.size(); ++i) tail += lines[i] + " | ";
  const std::string answers = Answers(r.err).empty() ? "" : "answers " + Answers(r.err);
  if (run.hung) return {"defect", "hung: killed after " + std::to_string(kHangAfter.count()) + " s; " + tail};
  if (run.interrupted) {
    if (run.followed) return {"pass", run.struck ? answers : "not struck; " + answers};
    return {"defect", "still running but silent: the line written " +
                          std::to_string(std::chrono::seconds(kFollowLimit).count()) + " s before never came; " + tail};
  }
  if (r.term_signal != 0) return {"defect", "killed by signal " + std::to_string(r.term_signal) + "; " + tail};
  if (r.exit_code == 0 && command.followed) return {"defect", "the follow ended (exit 0) while the pod runs; " + tail};
  if (r.exit_code == 0) return {"pass", run.struck ? answers : "not struck; " + answers};
  if (command.failure_codes.contains(r.exit_code)) {
    const std::string line = command.clear_failure ? command.clear_failure(r) : ClearError(r.err);
    if (!line.empty()) {
      return {"clear failure",
              "exit " + std::to_string(r.exit_code) + ": " + line + (answers.empty() ? "" : "; " + answers)};
    }
    return {"defect", "exit " + std::to_string(r.exit_code) + " without one clear error line: " + tail};
  }
  return {"defect", "exit " + std::to_string(r.exit_code) + " (undocumented): " + tail};
}

/// The table so far, as Markdown, in <cluster dir>/fault-table.md.
void RecordRow(const Scenario& scenario, const std::vector<Cell>& row) {
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  const std::string path = TestCluster::Get().dir() + "/fault-table.md";
  const bool fresh = !std::filesystem::exists(path);
  std::ofstream out(path, std::ios::app);
  std::vector<CommandCase> commands = Commands();
  if (fresh) {
    out << "| scenario | fault |";
    for (const CommandCase& c : commands) out << " " << c.name << " |";
    out << "\n|---|---|";
    for (size_t i = 0; i < commands.size(); ++i) out << "---|";
    out << "\n";
  }
  out << "| " << scenario.name << " | " << scenario.fault << " |";
  for (const Cell& cell : row) out << " " << cell.outcome << (cell.detail.empty() ? "" : ": " + cell.detail) << " |";
  out << "\n";
  for (size_t i = 0; i < row.size(); ++i) {
    const std::string detail = row[i].detail.empty() ? "" : ": " + row[i].detail;
    MESSAGE(scenario.name, " x ", commands[i].name, ": ", row[i].outcome, detail);
  }
}

/// The log every kwok container prints, put back as it was when the scenario ends.
class SavedContainerLog {
 public:
  SavedContainerLog() : path_(TestCluster::Get().dir() + "/container-logs/current.log") {
    std::ifstream in(path_);
    text_.assign(std::istreambuf_iterator<char>(in), {});
  }
  ~SavedContainerLog() { std::ofstream(path_, std::ios::trunc) << text_; }

 private:
  std::string path_;
  std::string text_;
};

}  // namespace

std::vector<Cell> RunScenario(const Scenario& scenario, FaultContext& fault) {
  const TestCluster& cluster = TestCluster::Get();
  ScopedNamespace ns("fault-" + scenario.name + "-" + std::to_string(::getpid()));
  SavedContainerLog saved_log;
  fault.ns = ns.name();
  FaultScene scene;
  scene.ns = ns.name();
  scene.gpu_nodes = std::make_unique<GatedGpuNodes>(ns.name());
  // The workload status, scale and logs look at, made without the fault.
  CommandOutput base = cluster.Plugin("admin", {"serve", "base", "-n", ns.name(), "--model", "org/m", "--gpus", "1",
                                                "--cpu", "1", "--wait", "--timeout", "90s"});
  REQUIRE_MESSAGE(base.exit_code == 0, base.err);

  std::vector<Cell> row;
  for (const CommandCase& command : Commands()) {
    INFO(scenario.name, " x ", command.name);
    Run first = RunUnderFault(command, &scenario, fault, scene);
    Cell cell = Judge(command, first);
    if (command.check_first) {
      if (std::string wrong = command.check_first(first.output, scene); !wrong.empty()) {
        cell = {"defect", "after the first run: " + wrong};
      }
    }
    // Whatever the first run left waiting (a finalizer, a self-test) may end now.
    if (command.release && !first.released) command.release(scene);
    if (scenario.settle) scenario.settle(fault);

    Run again = RunUnderFault(command, nullptr, fault, scene);
    const bool converged = !again.hung && (command.followed    ? again.followed
                                           : command.converged ? command.converged(again.output)
                                                               : again.output.exit_code == 0);
    if (!converged && cell.outcome != "defect") {
      cell = {"defect", "the rerun did not converge: exit " + std::to_string(again.output.exit_code) + ": " +
                            (UserLines(again.output.err).empty() ? "" : UserLines(again.output.err).back())};
    }
    if (std::string wrong = command.check(scene); !wrong.empty() && cell.outcome != "defect") {
      cell = {"defect", "afterwards: " + wrong};
    }
    CHECK_MESSAGE(cell.outcome != "defect", cell.detail, "\nfirst run stderr:\n", first.output.err,
                  "\nfirst run stdout:\n", first.output.out);
    row.push_back(cell);
  }
  RecordRow(scenario, row);
  return row;
}

void RunAsAdmin(const Scenario& scenario) {
  FaultProxy proxy("kubectl-llm-" + scenario.name);
  FaultContext fault{proxy, proxy.WriteKubeconfig("fault-admin", "admin"), ""};
  RunScenario(scenario, fault);
}

}  // namespace llm::testing

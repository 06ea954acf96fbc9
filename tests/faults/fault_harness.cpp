#include "faults/fault_harness.h"

#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <utility>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "integration/kube_client.h"
#include "integration/test_cluster.h"

namespace llm::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

json KubectlJson(const std::vector<std::string>& args) {
  CommandOutput r = TestCluster::Get().Kubectl("admin", args);
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  return json::parse(r.out);
}

/// A -v=6 line: "GET https://... 200 OK in 3 milliseconds, 120 bytes", or "... in 3 milliseconds: <error>".
const std::regex kRequestLine(
    R"(^(GET|HEAD|POST|PUT|PATCH|DELETE) https?://\S+ (?:(\d{3}) .*in \d+ milliseconds, \d+ bytes|in \d+ milliseconds: .*)$)");

/// What the command was answered besides success, e.g. "2x429, 1x transport error".
std::string Answers(const std::string& err) {
  std::map<std::string, int> counts;
  for (const std::string& line : Lines(err)) {
    std::smatch m;
    if (!std::regex_match(line, m, kRequestLine)) continue;
    if (!m[2].matched) {
      ++counts["transport error"];
    } else if (const std::string code = m[2].str(); code[0] != '2') {
      ++counts[code];
    }
  }
  std::string out;
  for (const auto& [what, n] : counts) out += (out.empty() ? "" : ", ") + std::to_string(n) + "x " + what;
  return out;
}

/// stderr without the -v=6 request lines: what a user without -v sees.
std::vector<std::string> UserLines(const std::string& err) {
  std::vector<std::string> lines;
  for (const std::string& line : Lines(err)) {
    if (!std::regex_match(line, kRequestLine)) lines.push_back(line);
  }
  return lines;
}

/// The one error line a clear failure ends with, or "".
std::string ClearError(const std::string& err) {
  std::vector<std::string> lines = UserLines(err);
  std::vector<std::string> errors;
  for (const std::string& line : lines) {
    if (line.starts_with("error: ") || line.starts_with("Error from server") || line.starts_with("Unable to connect") ||
        line.starts_with("The connection to the server")) {
      errors.push_back(line);
    }
  }
  if (errors.size() != 1 || lines.back() != errors.front()) return "";
  return errors.front();
}

/// Kinds the tool renders (pods and ReplicaSets belong to their controllers).
constexpr const char* kKinds =
    "deployments.apps,services,jobs.batch,horizontalpodautoscalers.autoscaling,poddisruptionbudgets.policy,"
    "leaderworkersets.leaderworkerset.x-k8s.io,jobsets.jobset.x-k8s.io,persistentvolumeclaims";

/// "" when the instance's objects are exactly `expected` ("Kind/name") and all
/// belong to its ApplySet (the parent Secret named like the instance), else what is wrong.
std::string CheckInstance(const std::string& ns, const std::string& instance, const std::set<std::string>& expected) {
  json items = KubectlJson({"-n", ns, "get", kKinds, "-l", "app.kubernetes.io/instance=" + instance, "-o", "json"});
  std::set<std::string> found;
  std::vector<std::string> problems;
  CommandOutput parent = TestCluster::Get().Kubectl("admin", {"-n", ns, "get", "secret", instance, "-o", "json"});
  std::string id;
  if (parent.exit_code == 0) {
    id = json::parse(parent.out)["metadata"]["labels"].value("applyset.kubernetes.io/id", "");
  }
  for (const json& item : items["items"]) {
    const std::string key = item["kind"].get<std::string>() + "/" + item["metadata"]["name"].get<std::string>();
    if (!found.insert(key).second) problems.push_back("duplicate " + key);
    const std::string part_of = item["metadata"]["labels"].value("applyset.kubernetes.io/part-of", "");
    if (id.empty() || part_of != id) problems.push_back("orphan " + key + " (not in the ApplySet of " + instance + ")");
  }
  for (const std::string& want : expected) {
    if (!found.contains(want)) problems.push_back("lost " + want);
  }
  for (const std::string& have : found) {
    if (!expected.contains(have)) problems.push_back("unexpected " + have);
  }
  if (expected.empty() && parent.exit_code == 0) problems.push_back("ApplySet parent Secret/" + instance + " left");
  if (!expected.empty() && id.empty()) problems.push_back("no ApplySet parent Secret/" + instance);
  std::string out;
  for (const std::string& p : problems) out += (out.empty() ? "" : "; ") + p;
  return out;
}

/// serve's --patch for workload "s": its pods start 5 s late (kwok's
/// slow-start Stage) and its Deployment holds a finalizer until the test
/// removes it, so serve --wait and delete --wait are still watching when a
/// fault strikes during the wait.
std::string SlowWorkloadPatch() {
  const std::string path = TestCluster::Get().dir() + "/fault-slow-workload.yaml";
  std::ofstream(path) << "metadata:\n  finalizers: [kubectl-llm.test/hold]\n"
                         "spec:\n  template:\n    metadata:\n      annotations:\n"
                         "        stage.kubectl-llm.test/play: slow-start\n";
  return path;
}

void ReleaseHold(const std::string& ns) {
  TestCluster::Get().Kubectl("admin", {"-n", ns, "patch", "deployment", "s", "--type=json", "-p",
                                       R"([{"op":"remove","path":"/metadata/finalizers"}])"});
}

struct CommandCase {
  std::string name;
  std::function<std::vector<std::string>(const std::string& ns)> args;
  std::set<int> failure_codes;  ///< documented exit codes of a clear failure
  /// The -v=6 line (stderr is not buffered, stdout is) of the request after
  /// which the command waits: "PATCH" and a path part; "" when it does not wait.
  std::pair<std::string, std::string> waits_after;
  std::function<bool(const CommandOutput&)> converged;  ///< the rerun's result, when exit 0 is not the only one
  std::function<std::string(const std::string& ns)> check;
};

std::vector<CommandCase> Commands() {
  std::vector<CommandCase> commands;
  commands.push_back({"serve --wait",
                      [](const std::string& ns) {
                        return std::vector<std::string>{
                            "serve",  "s",         "-n",    ns,  "--model", "org/m",
                            "--gpus", "1",         "--cpu", "1", "--patch", "deployment/s=" + SlowWorkloadPatch(),
                            "--wait", "--timeout", "60s"};
                      },
                      {1, 4, 5},
                      {"PATCH ", "/deployments/s?"},
                      nullptr,
                      [](const std::string& ns) {
                        return CheckInstance(ns, "s", {"Deployment/s", "Service/s"});
                      }});
  commands.push_back({"status",
                      [](const std::string& ns) {
                        return std::vector<std::string>{"status", "-n", ns};
                      },
                      {1},
                      {},
                      nullptr,
                      [](const std::string& ns) {
                        return CheckInstance(ns, "base", {"Deployment/base", "Service/base"});
                      }});
  commands.push_back(
      {"scale",
       [](const std::string& ns) { return std::vector<std::string>{"scale", "base", "-n", ns, "--replicas", "2"}; },
       {1},
       {},
       nullptr,
       [](const std::string& ns) {
         std::string wrong = CheckInstance(ns, "base", {"Deployment/base", "Service/base"});
         json d = KubectlJson({"-n", ns, "get", "deployment", "base", "-o", "json"});
         if (d["spec"]["replicas"] != 2) wrong += " replicas " + d["spec"]["replicas"].dump() + " not 2";
         return wrong;
       }});
  commands.push_back({"delete --wait",
                      [](const std::string& ns) {
                        return std::vector<std::string>{"delete", "s", "-n", ns, "--wait", "--timeout", "60s"};
                      },
                      {1, 5},
                      {"DELETE ", "/deployments/s"},
                      [](const CommandOutput& r) {
                        return r.exit_code == 0 || (r.exit_code == 1 && Contains(r.err, "error: no workload \"s\""));
                      },
                      [](const std::string& ns) { return CheckInstance(ns, "s", {}); }});
  return commands;
}

/// A command that outlives this is a hang.
constexpr auto kHangAfter = 150s;
/// serve's and delete's waits end this long after they began, once no fault is in force.
constexpr auto kReleaseAfter = 4s;

struct Run {
  CommandOutput output;
  bool struck = false;
  bool hung = false;
};

/// Runs `command` as `user` in `ns`, with `scenario` (null: none) striking at its moment.
Run RunUnderFault(const CommandCase& command, const Scenario* scenario, FaultContext& fault) {
  Run run;
  bool healed = false;
  bool released = false;
  std::chrono::milliseconds struck_at{0};
  std::optional<std::chrono::milliseconds> waiting_since;
  const bool waits = !command.waits_after.first.empty();
  // Whether the command has sent the request after which it waits.
  auto began_waiting = [&](const std::string& err) {
    for (const std::string& line : Lines(err)) {
      if (line.starts_with(command.waits_after.first) && Contains(line, command.waits_after.second)) return true;
    }
    return false;
  };
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
    if (scenario->moment == Moment::kFromStart || !waits) strike(0ms);
  }
  std::vector<std::string> argv = {KUBECTL_LLM_BINARY, "-v=6"};
  for (std::string& arg : command.args(fault.ns)) argv.push_back(std::move(arg));
  const TestCluster& cluster = TestCluster::Get();
  OutputWatcher watch = [&](const CommandOutput& so_far, std::chrono::milliseconds elapsed) -> int {
    if (waits && !waiting_since && began_waiting(so_far.err)) waiting_since = elapsed;
    if (scenario != nullptr && !run.struck && waiting_since && elapsed - *waiting_since >= 1500ms) strike(elapsed);
    if (run.struck && !healed && scenario->window.count() > 0 && elapsed - struck_at >= scenario->window) heal();
    if (command.name == "delete --wait" && !released && waiting_since && elapsed - *waiting_since >= kReleaseAfter &&
        (!run.struck || healed || scenario->window.count() == 0)) {
      ReleaseHold(fault.ns);
      released = true;
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
  if (r.term_signal != 0) return {"defect", "killed by signal " + std::to_string(r.term_signal) + "; " + tail};
  if (r.exit_code == 0) return {"pass", run.struck ? answers : "not struck; " + answers};
  if (command.failure_codes.contains(r.exit_code)) {
    std::string line = ClearError(r.err);
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

}  // namespace

std::vector<Cell> RunScenario(const Scenario& scenario, FaultContext& fault) {
  const TestCluster& cluster = TestCluster::Get();
  ScopedNamespace ns("fault-" + scenario.name + "-" + std::to_string(::getpid()));
  fault.ns = ns.name();
  // The workload status and scale look at, made without the fault.
  CommandOutput base = cluster.Plugin("admin", {"serve", "base", "-n", ns.name(), "--model", "org/m", "--gpus", "1",
                                                "--cpu", "1", "--wait", "--timeout", "90s"});
  REQUIRE_MESSAGE(base.exit_code == 0, base.err);

  std::vector<Cell> row;
  for (const CommandCase& command : Commands()) {
    INFO(scenario.name, " x ", command.name);
    Run first = RunUnderFault(command, &scenario, fault);
    Cell cell = Judge(command, first);
    if (command.name == "delete --wait") ReleaseHold(ns.name());  // whatever the first run left

    Run again = RunUnderFault(command, nullptr, fault);
    const bool converged =
        !again.hung && (command.converged ? command.converged(again.output) : again.output.exit_code == 0);
    if (!converged && cell.outcome != "defect") {
      cell = {"defect", "the rerun did not converge: exit " + std::to_string(again.output.exit_code) + ": " +
                            (UserLines(again.output.err).empty() ? "" : UserLines(again.output.err).back())};
    }
    if (std::string wrong = command.check(ns.name()); !wrong.empty() && cell.outcome != "defect") {
      cell = {"defect", "afterwards: " + wrong};
    }
    CHECK_MESSAGE(cell.outcome != "defect", cell.detail, "\nfirst run stderr:\n", first.output.err);
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

// `kubectl llm sweep` against the real Job controller, scheduler and kwok's
// kubelets (and, queued, the real Kueue): trials are Indexed Jobs whose pods
// kwok's trial-metric Stage completes after 3 s with the termination message
// the trial wrapper writes (val_loss=<trial number>; the wrapper itself is
// unit-tested in a shell). --parallel is checked from the Jobs' own start and
// completion times, Ctrl-C is a real SIGINT, the resume a second run.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "integration/kube_client.h"
#include "integration/play_patch.h"
#include "integration/run_command.h"
#include "integration/test_cluster.h"
#include "util/rfc3339.h"

namespace llm::testing {
namespace {

using nlohmann::json;

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

CommandOutput Admin(const std::vector<std::string>& args, const std::string& input = "") {
  return TestCluster::Get().Kubectl("admin", args, input);
}

CommandOutput Llm(const std::vector<std::string>& args) { return TestCluster::Get().Plugin("admin", args); }

std::string Suffix() { return std::to_string(::getpid() % 100000); }

/// The sweep's flags: 3 learning rates x 2 sampled weight decays.
std::vector<std::string> SweepArgs(const std::string& ns, const PlayPatch& patch, std::vector<std::string> extra) {
  std::vector<std::string> args = {"sweep",     "lr",
                                   "-n",        ns,
                                   "--image",   "img:1",
                                   "--backend", "indexed-job",
                                   "--param",   "lr=1e-4,3e-4,1e-3",
                                   "--param",   "wd=loguniform:1e-5:1e-1",
                                   "--trials",  "2",
                                   "--metric",  "val_loss",
                                   "--mode",    "max",
                                   "--patch",   patch.For("job/lr")};
  args.insert(args.end(), extra.begin(), extra.end());
  args.insert(args.end(), {"--", "torchrun", "train.py", "--lr", "{lr}", "--weight-decay", "{wd}"});
  return args;
}

json Jobs(const std::string& ns) {
  CommandOutput listed = Admin({"get", "jobs", "-n", ns, "-l", "kubectl-llm.dev/sweep=lr", "-o", "json"});
  REQUIRE_MESSAGE(listed.exit_code == 0, listed.err);
  return json::parse(listed.out)["items"];
}

/// The most trials that ran at one moment, from the Jobs' startTime and
/// completionTime (a trial started as another completed counts once).
int MostRunningAtOnce(const json& jobs) {
  std::vector<std::pair<TimePoint, TimePoint>> runs;
  for (const json& job : jobs) {
    auto start = ParseRfc3339(job["status"].value("startTime", ""));
    auto end = ParseRfc3339(job["status"].value("completionTime", ""));
    REQUIRE_MESSAGE((start && end), job["status"].dump());
    runs.emplace_back(*start, *end);
  }
  int most = 0;
  for (const auto& [at, unused] : runs) {
    const int running = static_cast<int>(
        std::count_if(runs.begin(), runs.end(), [&](const auto& run) { return run.first <= at && at < run.second; }));
    most = std::max(most, running);
  }
  return most;
}

/// The TRIAL column of the results table at the end of `out`, top to bottom.
std::vector<std::string> RankedTrials(const std::string& out) {
  std::vector<std::string> trials;
  const size_t table = out.rfind("TRIAL ");
  REQUIRE(table != std::string::npos);
  std::istringstream lines(out.substr(table));
  std::string line;
  std::getline(lines, line);
  while (std::getline(lines, line)) trials.push_back(line.substr(0, line.find(' ')));
  return trials;
}

TEST_CASE("sweep: 6 trials 2 at a time, results from termination messages, Ctrl-C then resume, status, delete") {
  ScopedNamespace ns("sweep-" + Suffix());
  PlayPatch patch("trial-metric", "sweep");

  // Ctrl-C once the second trial has started: the two keep running, nothing more is created.
  std::vector<std::string> argv = {KUBECTL_LLM_BINARY};
  const std::vector<std::string> args = SweepArgs(ns.name(), patch, {"--parallel", "2"});
  argv.insert(argv.end(), args.begin(), args.end());
  CommandOutput interrupted = RunCommand(argv,
                                         {"KUBECONFIG=" + TestCluster::Get().Kubeconfig("admin"),
                                          "KUBECACHEDIR=" + TestCluster::Get().dir() + "/kube-cache"},
                                         "", {}, [](const CommandOutput& so_far, std::chrono::milliseconds) {
                                           return Contains(so_far.out, "trial 2 started") ? SIGINT : 0;
                                         });
  CHECK(interrupted.term_signal == SIGINT);
  CHECK(Contains(interrupted.out, "sweep lr: 6 trials, 2 at a time, best by max val_loss\n"));
  CHECK(Contains(interrupted.out, "trial 1 started: lr=1e-4 wd="));
  CHECK(Jobs(ns.name()).size() == 2);

  // Again: the two are found, the other four created, never more than 2 at once.
  CommandOutput resumed = Llm(SweepArgs(ns.name(), patch, {"--parallel", "2"}));
  REQUIRE_MESSAGE(resumed.exit_code == 0, (resumed.out + resumed.err));
  CHECK(Contains(resumed.out, "sweep lr: 6 trials, 2 at a time, best by max val_loss (2 exist already)\n"));
  CHECK_FALSE(Contains(resumed.out, "trial 1 started"));
  CHECK_FALSE(Contains(resumed.out, "trial 2 started"));
  for (int trial = 3; trial <= 6; ++trial) {
    CHECK_MESSAGE(Contains(resumed.out, "trial " + std::to_string(trial) + " started: lr="), resumed.out);
  }
  for (int trial = 1; trial <= 6; ++trial) {
    CHECK_MESSAGE(Contains(resumed.out, "trial " + std::to_string(trial) + " completed in "), resumed.out);
    CHECK(Contains(resumed.out, ": val_loss=" + std::to_string(trial) + "\n"));
  }
  CHECK(RankedTrials(resumed.out) == std::vector<std::string>{"6", "5", "4", "3", "2", "1"});
  const json jobs = Jobs(ns.name());
  REQUIRE(jobs.size() == 6);
  CHECK(MostRunningAtOnce(jobs) <= 2);
  std::map<std::string, std::string> params;
  for (const json& job : jobs) {
    CHECK(job["metadata"]["labels"].contains("applyset.kubernetes.io/part-of"));
    params[job["metadata"]["name"]] = job["metadata"]["annotations"]["kubectl-llm.dev/trial-params"];
  }
  CHECK(Contains(params["lr-1"], R"("lr":"1e-4")"));
  CHECK(Contains(params["lr-6"], R"("lr":"1e-3")"));

  // From the cluster alone: best first, as JSON.
  CommandOutput status = Llm({"sweep", "status", "lr", "-n", ns.name(), "-o", "json"});
  REQUIRE_MESSAGE(status.exit_code == 0, status.err);
  const json document = json::parse(status.out);
  CHECK(document["kind"] == "SweepStatus");
  CHECK(document["metric"] == "val_loss");
  CHECK(document["mode"] == "max");
  REQUIRE(document["trials"].size() == 6);
  CHECK(document["trials"][0]["trial"] == 6);
  CHECK(document["trials"][0]["metric"] == 6.0);
  CHECK(document["trials"][0]["state"] == "Completed");
  CHECK(document["trials"][5]["trial"] == 1);
  CHECK(document["trials"][0]["params"]["lr"] == "1e-3");

  // Again with every trial done: nothing is created, the table is the same.
  CommandOutput again = Llm(SweepArgs(ns.name(), patch, {"--parallel", "2"}));
  REQUIRE_MESSAGE(again.exit_code == 0, again.err);
  CHECK_FALSE(Contains(again.out, " started: "));
  CHECK(RankedTrials(again.out) == std::vector<std::string>{"6", "5", "4", "3", "2", "1"});

  // Other flags than the sweep was made with: refused, nothing created.
  CommandOutput other = Llm(SweepArgs(ns.name(), patch, {"--parallel", "2", "--seed", "7"}));
  CHECK(other.exit_code == 1);
  CHECK_MESSAGE(Contains(other.err, "give the same --param, --trials and --seed to resume it"), other.err);

  CommandOutput deleted = Llm({"delete", "lr", "-n", ns.name()});
  REQUIRE_MESSAGE(deleted.exit_code == 0, deleted.err);
  CHECK(Jobs(ns.name()).empty());
  CHECK(
      Admin({"get", "services,secrets", "-n", ns.name(), "-l", "kubectl-llm.dev/sweep=lr", "-o", "name"}).out.empty());
}

TEST_CASE("sweep: bad input names the flag and creates nothing") {
  ScopedNamespace ns("sweep-bad-" + Suffix());
  PlayPatch patch("trial-metric", "sweep");
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--param", "x=normal:0:1"}, "--param x=normal:0:1: unknown distribution \"normal\""},
      {{"--parallel", "0"}, "--parallel must be at least 1, got 0"},
      {{"--param", "bs=16,32"}, "--param bs is not used by the command"},
  };
  for (const auto& [extra, error] : cases) {
    CommandOutput refused = Llm(SweepArgs(ns.name(), patch, extra));
    CHECK(refused.exit_code == 2);
    CHECK_MESSAGE(Contains(refused.err, error), refused.err);
  }
  CommandOutput undefined = Llm({"sweep", "lr", "-n", ns.name(), "--image", "img:1", "--param", "lr=1,2", "--metric",
                                 "val_loss", "--", "python", "t.py", "--lr", "{lr}", "--wd", "{wd}"});
  CHECK(undefined.exit_code == 2);
  CHECK(Contains(undefined.err, "the command reads {wd}, which no --param defines (give --param wd=...)"));
  CHECK(Jobs(ns.name()).empty());
  CHECK(Admin({"get", "secrets", "-n", ns.name(), "-o", "name"}).out.find("secret/lr") == std::string::npos);
}

TEST_CASE("sweep --queue: every trial created at once, Kueue admits one at a time as the quota frees") {
  CommandOutput kueue = TestCluster::Get().StartKueue();
  REQUIRE_MESSAGE(kueue.exit_code == 0, kueue.err);
  REQUIRE(Llm({"tenant", "init"}).exit_code == 0);
  const std::string team = "tsweep-" + Suffix();
  struct Tenant {
    std::string team;
    ~Tenant() { Llm({"tenant", "delete", team, "--force", "--wait", "--timeout", "2m"}); }
  } tenant{team};
  CommandOutput created = Llm({"tenant", "create", team, "--gpus", "1"});
  REQUIRE_MESSAGE(created.exit_code == 0, created.err);
  PlayPatch patch("trial-metric", "sweep");

  // The tenant's LocalQueue is the namespace's default: a 1-GPU quota runs one 1-GPU trial at a time.
  CommandOutput swept = Llm(
      {"sweep",   "lr",           "-n",       team,         "--image",  "img:1",    "--backend", "indexed-job",
       "--param", "lr=1e-4,1e-3", "--param",  "wd=0.1,0.2", "--metric", "val_loss", "--patch",   patch.For("job/lr"),
       "--",      "python",       "train.py", "--lr",       "{lr}",     "--wd",     "{wd}"});
  REQUIRE_MESSAGE(swept.exit_code == 0, (swept.out + swept.err));
  CHECK_MESSAGE(Contains(swept.out, "sweep lr: 4 trials, queued in LocalQueue "), swept.out);
  // All four were queued before any result came.
  const size_t last_queued = swept.out.find("trial 4 queued: lr=1e-3 wd=0.2");
  const size_t first_result = swept.out.find(" completed in ");
  REQUIRE(last_queued != std::string::npos);
  REQUIRE(first_result != std::string::npos);
  CHECK(last_queued < first_result);
  CHECK(RankedTrials(swept.out) == std::vector<std::string>{"1", "2", "3", "4"});  // min val_loss
  const json jobs = Jobs(team);
  REQUIRE(jobs.size() == 4);
  CHECK(MostRunningAtOnce(jobs) == 1);  // the quota, not the plugin, kept them apart
}

}  // namespace
}  // namespace llm::testing

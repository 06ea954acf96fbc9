#include "runner.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "check.h"
#include "device_inventory.h"
#include "env_lookup.h"
#include "environment_lint.h"
#include "evaluate_report.h"

namespace llm::gpu_check {
namespace {

using Clock = std::chrono::steady_clock;

// The watchdog fires this long after a phase's own deadline: the in-thread
// polling gets the first chance to end the phase cleanly with what it has.
constexpr auto kWatchdogGrace = std::chrono::seconds(10);

Clock::duration Seconds(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

TestResult FailedTest(const std::string& name, const Failure& f, const ReportStore& store) {
  TestResult t;
  t.name = name;
  for (const TestResult& partial : store.Snapshot().tests) {
    if (partial.name == name) t.series = partial.series;  // keep what was measured
  }
  t.status = f.code() == ExitCode::kTimeout ? TestStatus::kTimeout : TestStatus::kError;
  t.code = f.code();
  t.reason = f.message();
  return t;
}

bool Selected(const RunnerEnv& env, CheckId id) {
  return std::find(env.options.tests.begin(), env.options.tests.end(), id) != env.options.tests.end();
}

struct Inventory {
  std::vector<GpuInfo> gpus;
  std::vector<std::vector<int>> peer_access;  ///< [i][j] != 0: GPU i can reach j directly
};

/// The GPUs, their peer access and a CUDA context on each, as one phase under
/// the watchdog: creating contexts can hang on a sick GPU. nullopt (the
/// failure recorded) when any of it fails.
std::optional<Inventory> TakeInventory(RunnerEnv& env, const SysfsTopology& sysfs) {
  const double inventory_s = env.profile.PhaseDeadline(CheckId::kInventory);
  env.store.BeginTest("inventory", "did not finish");  // a hang here still names the phase
  env.watchdog.Arm("inventory", Seconds(inventory_s) + kWatchdogGrace);
  auto fail = [&](const Failure& failure) -> std::optional<Inventory> {
    env.watchdog.Disarm();
    env.store.FinishTest(FailedTest("inventory", failure, env.store));
    return std::nullopt;
  };
  auto gpus = QueryGpus(sysfs);
  if (!gpus.ok()) return fail(gpus.failure());
  auto peer_access = QueryPeerAccess(static_cast<int>(gpus->size()));
  if (!peer_access.ok()) return fail(peer_access.failure());
  if (auto st = InitializeContexts(static_cast<int>(gpus->size())); !st.ok()) return fail(st.failure());
  env.watchdog.Disarm();
  return Inventory{std::move(*gpus), std::move(*peer_access)};
}

/// Without `inventory` in --tests its row goes, but --expect-gpus still holds
/// (found on the H200: `--tests hbm --expect-gpus 2` passed on one GPU): the
/// count alone stands in for the inventory.
void ReplaceInventoryWithCount(RunnerEnv& env, int gpu_count) {
  env.store.Update(
      [](Report& r) { std::erase_if(r.tests, [](const TestResult& t) { return t.name == "inventory"; }); });
  if (auto mismatch = GpuCountMismatch(gpu_count, env.options.expect_gpus)) {
    TestResult count;
    count.name = "inventory";
    count.status = TestStatus::kFail;
    count.code = ExitCode::kTopology;
    count.reason = *mismatch;
    env.log << fmt::format("llm-gpu-check: inventory: {}\n", *mismatch);
    env.store.FinishTest(std::move(count));
  }
}

/// GPUs, software versions and the environment lint, into the report and the log.
void RecordEnvironment(RunnerEnv& env, const std::vector<GpuInfo>& gpus) {
  EnvironmentFacts facts = ProbeEnvironment();
  facts.nccl_env = env.nccl_env;
  env.store.Update([&](Report& r) {
    r.gpus = gpus;
    r.software = QuerySoftwareVersions();
    r.software.nccl_env = facts.nccl_env;
    r.lint = LintEnvironment(facts, static_cast<int>(gpus.size()), env.multi_node.world_size);
  });
  for (const LintFinding& f : env.store.Snapshot().lint) {
    env.log << fmt::format("llm-gpu-check: lint: {}{}\n", f.blocking ? "error: " : "", f.message);
  }
}

Topology TopologyOf(const Inventory& inventory, int world_size) {
  Topology topology;
  topology.gpu_count = static_cast<int>(inventory.gpus.size());
  topology.world_size = world_size;
  for (std::size_t i = 0; i < inventory.gpus.size(); ++i) {
    for (std::size_t j = 0; j < inventory.gpus.size(); ++j) {
      if (i != j && inventory.peer_access[i][j] != 0) topology.any_peer_access = true;
    }
  }
  return topology;
}

/// What the run needs to run one check, fixed once the inventory is taken.
struct RunState {
  const Inventory& inventory;
  const Topology& topology;
  const EvaluationContext& evaluation;
  const SysfsTopology& sysfs;
  HealthSession* health;
  Clock::time_point overall_deadline;
  double overall_s;
};

enum class Next { kGoOn, kStopTimedOut };

/// One check under min(its phase deadline, what is left of the overall one),
/// with the watchdog as the backstop. A timeout stops the run: the GPU may
/// still be busy.
Next RunOneCheck(RunnerEnv& env, const RunState& run, CheckId id) {
  const CheckSpec& spec = GetCheckSpec(id);
  const std::string key(spec.key);
  if (auto reason = SkipReason(spec, run.topology)) {
    TestResult skipped;
    skipped.name = key;
    skipped.status = TestStatus::kSkip;
    skipped.reason = *reason;
    env.log << fmt::format("llm-gpu-check: {}: skipped: {}\n", key, *reason);
    env.store.FinishTest(std::move(skipped));
    return Next::kGoOn;
  }
  const auto now = Clock::now();
  const auto budget = std::min(Seconds(env.profile.PhaseDeadline(id)), run.overall_deadline - now);
  if (budget <= Clock::duration::zero()) {
    env.store.FinishTest(
        FailedTest(key,
                   Failure(ExitCode::kTimeout,
                           fmt::format("the overall timeout of {:.0f} s was spent before it started", run.overall_s)),
                   env.store));
    return Next::kStopTimedOut;
  }
  const double budget_s = std::chrono::duration<double>(budget).count();
  env.store.BeginTest(key, "did not finish");
  env.log << fmt::format("llm-gpu-check: {}: running (deadline {:.0f} s)\n", key, budget_s);
  env.watchdog.Arm(key, budget + kWatchdogGrace);
  CheckContext ctx{spec,
                   env.options,
                   env.profile,
                   env.multi_node,
                   run.inventory.gpus,
                   run.inventory.peer_access,
                   run.evaluation,
                   run.sysfs,
                   env.store,
                   env.comms,
                   env.log,
                   now + budget,
                   env.nccl_debug_file,
                   run.health};
  auto result = CreateCheck(id)->Run(ctx);
  env.watchdog.Disarm();
  const double duration = std::chrono::duration<double>(Clock::now() - now).count();
  if (result.ok()) {
    result->duration_s = duration;
    env.store.FinishTest(std::move(*result));
    return Next::kGoOn;
  }
  TestResult failed = FailedTest(key, result.failure(), env.store);
  failed.duration_s = duration;
  env.log << fmt::format("llm-gpu-check: {}: {}: {}\n", key, TestStatusName(failed.status), failed.reason);
  env.store.FinishTest(std::move(failed));
  return result.failure().code() == ExitCode::kTimeout ? Next::kStopTimedOut : Next::kGoOn;
}

}  // namespace

bool RunChecks(RunnerEnv& env) {
  double overall_s = env.options.timeout_s;
  if (overall_s <= 0) overall_s = env.profile.WorstCaseSeconds();
  const auto overall_deadline = Clock::now() + Seconds(overall_s);

  SysfsTopology sysfs("/sys");
  std::optional<Inventory> inventory = TakeInventory(env, sysfs);
  if (!inventory) return false;
  if (!Selected(env, CheckId::kInventory)) ReplaceInventoryWithCount(env, static_cast<int>(inventory->gpus.size()));
  RecordEnvironment(env, inventory->gpus);

  // NVML's "before" readings and the XID watch start here, so they span every test.
  std::unique_ptr<HealthSession> health;
  if (Selected(env, CheckId::kHealth)) {
    std::vector<MonitoredGpu> monitored;
    for (const GpuInfo& g : inventory->gpus) monitored.push_back({g.index, g.uuid});
    health = HealthSession::Start(monitored);
  }

  const EvaluationContext evaluation = MakeEvaluationContext(inventory->gpus, env.thresholds);
  const Topology topology = TopologyOf(*inventory, env.multi_node.world_size);
  const RunState run{*inventory, topology, evaluation, sysfs, health.get(), overall_deadline, overall_s};
  for (CheckId id : env.options.tests) {
    if (RunOneCheck(env, run, id) == Next::kStopTimedOut) return true;
  }
  return false;
}

}  // namespace llm::gpu_check

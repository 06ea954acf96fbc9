#include "runner.h"

#include <algorithm>
#include <chrono>

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

}  // namespace

bool RunChecks(RunnerEnv& env) {
  const auto run_start = Clock::now();
  double overall_s = env.options.timeout_s;
  if (overall_s <= 0) overall_s = env.profile.WorstCaseSeconds();
  const auto overall_deadline = run_start + Seconds(overall_s);

  // Inventory: creating CUDA contexts can hang on a sick GPU, so it is a phase too.
  const double inventory_s = env.profile.PhaseDeadline(CheckId::kInventory);
  env.store.BeginTest("inventory", "did not finish");  // a hang here still names the phase
  env.watchdog.Arm("inventory", Seconds(inventory_s) + kWatchdogGrace);
  SysfsTopology sysfs("/sys");
  auto gpus = QueryGpus(sysfs);
  if (!gpus.ok()) {
    env.watchdog.Disarm();
    env.store.FinishTest(FailedTest("inventory", gpus.failure(), env.store));
    return false;
  }
  auto peer_access = QueryPeerAccess(static_cast<int>(gpus->size()));
  if (!peer_access.ok()) {
    env.watchdog.Disarm();
    env.store.FinishTest(FailedTest("inventory", peer_access.failure(), env.store));
    return false;
  }
  if (auto st = InitializeContexts(static_cast<int>(gpus->size())); !st.ok()) {
    env.watchdog.Disarm();
    env.store.FinishTest(FailedTest("inventory", st.failure(), env.store));
    return false;
  }
  env.watchdog.Disarm();
  if (std::find(env.options.tests.begin(), env.options.tests.end(), CheckId::kInventory) == env.options.tests.end()) {
    env.store.Update([](Report& r) { std::erase_if(r.tests, [](const TestResult& t) { return t.name == "inventory"; }); });
    // --expect-gpus holds whatever --tests says (found on the H200: `--tests hbm
    // --expect-gpus 2` passed on one GPU): the count alone stands in for the inventory.
    if (auto mismatch = GpuCountMismatch(static_cast<int>(gpus->size()), env.options.expect_gpus)) {
      TestResult count;
      count.name = "inventory";
      count.status = TestStatus::kFail;
      count.code = ExitCode::kTopology;
      count.reason = *mismatch;
      env.log << fmt::format("llm-gpu-check: inventory: {}\n", *mismatch);
      env.store.FinishTest(std::move(count));
    }
  }
  EnvironmentFacts facts = ProbeEnvironment();
  facts.nccl_env = env.nccl_env;
  env.store.Update([&](Report& r) {
    r.gpus = *gpus;
    r.software = QuerySoftwareVersions();
    r.software.nccl_env = facts.nccl_env;
    r.lint = LintEnvironment(facts, static_cast<int>(gpus->size()), env.multi_node.world_size);
  });
  for (const LintFinding& f : env.store.Snapshot().lint) {
    env.log << fmt::format("llm-gpu-check: lint: {}{}\n", f.blocking ? "error: " : "", f.message);
  }

  // NVML's "before" readings and the XID watch start here, so they span every test.
  std::unique_ptr<HealthSession> health;
  if (std::find(env.options.tests.begin(), env.options.tests.end(), CheckId::kHealth) != env.options.tests.end()) {
    std::vector<MonitoredGpu> monitored;
    for (const GpuInfo& g : *gpus) monitored.push_back({g.index, g.uuid});
    health = HealthSession::Start(monitored);
  }

  const EvaluationContext evaluation = MakeEvaluationContext(*gpus, env.thresholds);
  Topology topology;
  topology.gpu_count = static_cast<int>(gpus->size());
  topology.world_size = env.multi_node.world_size;
  for (std::size_t i = 0; i < gpus->size(); ++i) {
    for (std::size_t j = 0; j < gpus->size(); ++j) {
      if (i != j && (*peer_access)[i][j] != 0) topology.any_peer_access = true;
    }
  }

  for (CheckId id : env.options.tests) {
    const CheckSpec& spec = GetCheckSpec(id);
    const std::string key(spec.key);
    if (auto reason = SkipReason(spec, topology)) {
      TestResult skipped;
      skipped.name = key;
      skipped.status = TestStatus::kSkip;
      skipped.reason = *reason;
      env.log << fmt::format("llm-gpu-check: {}: skipped: {}\n", key, *reason);
      env.store.FinishTest(std::move(skipped));
      continue;
    }
    const auto now = Clock::now();
    const auto budget = std::min(Seconds(env.profile.PhaseDeadline(id)), overall_deadline - now);
    if (budget <= Clock::duration::zero()) {
      env.store.FinishTest(FailedTest(
          key, Failure(ExitCode::kTimeout, fmt::format("the overall timeout of {:.0f} s was spent before it started", overall_s)),
          env.store));
      return true;
    }
    const double budget_s = std::chrono::duration<double>(budget).count();
    env.store.BeginTest(key, "did not finish");
    env.log << fmt::format("llm-gpu-check: {}: running (deadline {:.0f} s)\n", key, budget_s);
    env.watchdog.Arm(key, budget + kWatchdogGrace);
    CheckContext ctx{spec,      env.options, env.profile, env.multi_node, *gpus,        *peer_access,
                     evaluation, sysfs,      env.store,   env.comms,      env.log,      now + budget,
                     env.nccl_debug_file,    health.get()};
    auto result = CreateCheck(id)->Run(ctx);
    env.watchdog.Disarm();
    const double duration = std::chrono::duration<double>(Clock::now() - now).count();
    if (result.ok()) {
      result->duration_s = duration;
      env.store.FinishTest(std::move(*result));
      continue;
    }
    TestResult failed = FailedTest(key, result.failure(), env.store);
    failed.duration_s = duration;
    env.log << fmt::format("llm-gpu-check: {}: {}: {}\n", key, TestStatusName(failed.status), failed.reason);
    env.store.FinishTest(std::move(failed));
    if (result.failure().code() == ExitCode::kTimeout) return true;
  }
  return false;
}

}  // namespace llm::gpu_check

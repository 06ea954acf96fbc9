// llm-gpu-check: the GPU node self-test that `kubectl llm validate-nodes`
// runs in a pod owning all GPUs of a node. The only place that prints errors
// and picks the exit status; see gpu_check/README.md.
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <future>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "check.h"
#include "comm_abort_registry.h"
#include "env_lookup.h"
#include "evaluate_report.h"
#include "interruption.h"
#include "multi_node.h"
#include "nccl_debug_env.h"
#include "options.h"
#include "profile.h"
#include "report_store.h"
#include "report_writer.h"
#include "runner.h"
#include "thresholds.h"
#include "timestamp.h"
#include "watchdog.h"

namespace llm::gpu_check {
namespace {

constexpr const char* kVersion = LLM_GPU_CHECK_VERSION;

std::string Now() { return FormatRfc3339(std::chrono::system_clock::now()); }

Result<ThresholdTable> LoadThresholds(const std::string& path) {
  ThresholdTable table = BuiltinThresholds();
  if (path.empty()) return table;
  std::ifstream in(path);
  if (!in) return Failure(ExitCode::kUsage, fmt::format("--thresholds: cannot read {}", path));
  std::stringstream text;
  text << in.rdbuf();
  return ApplyThresholdOverrides(std::move(table), text.str());
}

/// Ensures the report is written once, by whichever of main and the watchdog gets there first.
class OutputOnce {
 public:
  bool Claim() {
    std::lock_guard lock(mu_);
    if (claimed_) return false;
    claimed_ = true;
    return true;
  }

 private:
  std::mutex mu_;
  bool claimed_ = false;
};

ExitCode Finish(Report report, const ThresholdTable& thresholds, const OutputTargets& targets) {
  report.finished_at = Now();
  EvaluateReport(report, thresholds);
  RealFileWriter files;
  for (const std::string& w : WriteReport(report, targets, std::cout, files)) {
    std::cerr << "llm-gpu-check: warning: " << w << '\n';
  }
  if (report.verdict.exit_code != ExitCode::kPass) {
    std::cerr << fmt::format("llm-gpu-check: {} (exit {}): {}\n", ExitCodeName(report.verdict.exit_code),
                             static_cast<int>(report.verdict.exit_code), report.verdict.reason);
  }
  std::cerr.flush();
  return report.verdict.exit_code;
}

/// Copies NCCL's warnings from its log to stderr, where people look for them.
void EchoNcclWarnings(const std::string& log_file) {
  if (log_file.empty()) return;
  std::ifstream in(log_file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find("NCCL WARN") != std::string::npos) std::cerr << line << '\n';
  }
}

int Main(int argc, char** argv) {
  // Before anything, --list included, so that the suite's --list test fails on
  // a catalog row whose class was never registered.
  if (auto registered = VerifyCheckRegistrations(RegisteredCheckIds()); !registered.ok()) {
    std::cerr << "llm-gpu-check: internal error: " << registered.failure().message() << '\n';
    return static_cast<int>(registered.failure().code());
  }
  std::vector<std::string> args(argv + 1, argv + argc);
  auto options = ParseOptions(args);
  if (!options.ok()) {
    std::cerr << "llm-gpu-check: error: " << options.failure().message() << '\n';
    return static_cast<int>(ExitCode::kUsage);
  }
  if (options->help) {
    std::cout << options->help_text;
    return 0;
  }
  if (options->list) {
    std::cout << FormatCheckList();
    return 0;
  }
  if (options->version) {
    std::cout << "llm-gpu-check " << kVersion << '\n';
    return 0;
  }
  auto thresholds = LoadThresholds(options->thresholds_path);
  if (!thresholds.ok()) {
    std::cerr << "llm-gpu-check: error: " << thresholds.failure().message() << '\n';
    return static_cast<int>(thresholds.failure().code());
  }
  auto profile = GetProfile(options->profile);  // validated by ParseOptions
  const OutputTargets targets{options->json_path, options->termination_log_path};
  const EnvLookup env = ProcessEnv();

  ReportStore store;
  store.Update([&](Report& r) {
    r.tool.version = kVersion;
    r.tool.git = LLM_GPU_CHECK_GIT;
    char host[256] = {};
    gethostname(host, sizeof(host) - 1);
    r.node.hostname = host;
    r.node.node_name = env("NODE_NAME").value_or("");
    r.node.pod = env("POD_NAME").value_or("");
    r.node.pod_namespace = env("POD_NAMESPACE").value_or("");
    r.config.profile = profile->name;
    for (CheckId id : options->tests) r.config.tests.emplace_back(GetCheckSpec(id).key);
    r.config.expect_gpus = options->expect_gpus;
    r.config.timeout_s = options->timeout_s;
    r.config.thresholds_source = options->thresholds_path.empty() ? "builtin" : options->thresholds_path;
    r.started_at = Now();
  });

  auto multi_node = ResolveMultiNode(options->world_size, options->rank, env);
  if (!multi_node.ok()) {
    // A configuration error still gets a report, so validate-nodes sees why.
    TestResult t;
    t.name = "inventory";
    t.status = TestStatus::kError;
    t.code = multi_node.failure().code();
    t.reason = multi_node.failure().message();
    store.FinishTest(t);
    return static_cast<int>(Finish(store.Snapshot(), *thresholds, targets));
  }
  store.Update([&](Report& r) {
    r.config.world_size = multi_node->world_size;
    r.config.rank = multi_node->rank;
  });

  // NCCL reads its environment at its first call; nothing else runs yet.
  const std::map<std::string, std::string> pod_nccl_env = ProcessEnvWithPrefix("NCCL_");
  const char* tmp = std::getenv("TMPDIR");
  const NcclDebugSetup nccl_debug = PlanNcclDebug(env, tmp != nullptr ? tmp : "/tmp", static_cast<int>(getpid()));
  for (const auto& [name, value] : nccl_debug.set) setenv(name.c_str(), value.c_str(), 1);

  // SIGTERM/SIGINT are taken by a thread of ours (sigwait), so the report is
  // flushed with ordinary code rather than from a signal handler.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  CommAbortRegistry comms;
  OutputOnce output;
  const ThresholdTable& table = *thresholds;
  Watchdog watchdog([&](const std::string& reason) {
    if (!output.Claim()) return;
    Report partial = store.Snapshot();
    MarkInterrupted(partial, reason);
    std::cerr << "llm-gpu-check: aborting: " << reason << '\n';
    const ExitCode code = Finish(std::move(partial), table, targets);
    std::cout.flush();
    // ncclCommAbort can itself block on a wedged GPU; give it a moment, no more.
    auto aborted = std::async(std::launch::async, [&comms] { comms.AbortAll(); });
    aborted.wait_for(std::chrono::seconds(2));
    std::_Exit(static_cast<int>(code));
  });
  std::thread([&watchdog, signals] {
    int sig = 0;
    if (sigwait(&signals, &sig) == 0) watchdog.Fire(sig == SIGTERM ? "received SIGTERM" : "received SIGINT");
  }).detach();

  RunnerEnv runner{*options, *profile,  *multi_node,         table,       store, watchdog,
                   comms,    std::cerr, nccl_debug.log_file, pod_nccl_env};
  const bool cut_short = RunChecks(runner);
  watchdog.Disarm();
  EchoNcclWarnings(nccl_debug.log_file);
  if (!output.Claim()) {
    // The watchdog is writing the report and will exit the process.
    while (true) std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  Report report = store.Snapshot();
  report.partial = cut_short;
  const ExitCode code = Finish(std::move(report), table, targets);
  std::cout.flush();
  if (cut_short) {
    // Work may still be queued on a GPU that stopped answering; tearing CUDA
    // down would wait for it.
    std::_Exit(static_cast<int>(code));
  }
  // exit() rather than return: the watchdog and the signal thread refer to
  // this frame's objects, which must outlive a SIGTERM arriving at the very end.
  std::exit(static_cast<int>(code));
}

}  // namespace
}  // namespace llm::gpu_check

int main(int argc, char** argv) { return llm::gpu_check::Main(argc, argv); }

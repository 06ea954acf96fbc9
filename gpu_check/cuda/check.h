// Check: one test case of llm-gpu-check (nvbandwidth's Testcase shape). Each
// class measures and returns raw series; judging happens once, at the end, in
// the host library (EvaluateReport), except the re-measurement of failing
// series, which each check drives through RetryFailingSeries.
//
// A check is its catalog row (check_catalog.cpp) plus one file under checks/
// that defines the class and registers it:
//     const RegisterCheck<HbmCheck> kRegistered(CheckId::kHbm);
// llm-gpu-check verifies at start that every row has exactly one class.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "check_catalog.h"
#include "comm_abort_registry.h"
#include "cuda_wait.h"
#include "health_session.h"
#include "multi_node.h"
#include "numa_affinity.h"
#include "options.h"
#include "profile.h"
#include "report.h"
#include "report_store.h"
#include "status.h"
#include "test_evaluation.h"

namespace llm::gpu_check {

/// What a check may use. Owned by the runner; valid for the call.
struct CheckContext {
  const CheckSpec& spec;  ///< the running check's catalog row
  const Options& options;
  const Profile& profile;
  const MultiNodeConfig& multi_node;
  const std::vector<GpuInfo>& gpus;
  const std::vector<std::vector<int>>& peer_access;
  const EvaluationContext& evaluation;  ///< for the retry decisions
  const SysfsTopology& sysfs;
  ReportStore& store;  ///< AddSeries as results come in (kept on timeout)
  CommAbortRegistry& comms;
  std::ostream& log;                ///< progress lines (stderr)
  Deadline deadline;                ///< this phase's
  std::string nccl_debug_file;      ///< where NCCL's log goes, "" when the user chose
  HealthSession* health = nullptr;  ///< started after the inventory when health is selected
};

class Check {
 public:
  virtual ~Check() = default;
  /// Measures; the returned result has the test name and raw series (and
  /// status kFail with a code only for failures the check itself decides).
  virtual Result<TestResult> Run(CheckContext& ctx) = 0;
};

using CheckFactory = std::unique_ptr<Check> (*)();

/// Adds a class to the registry (check_registry.cpp). Called during static
/// initialization, which is why the check files are sources of the
/// executable itself: a static library would drop their unreferenced objects.
void AddCheckRegistration(CheckId id, CheckFactory make);

/// One static instance per check file registers the file's class under its
/// catalog row.
template <class C>
struct RegisterCheck {
  explicit RegisterCheck(CheckId id) {
    AddCheckRegistration(id, [] { return std::unique_ptr<Check>(std::make_unique<C>()); });
  }
};

/// Every registered CheckId, once per registration (for VerifyCheckRegistrations).
std::vector<CheckId> RegisteredCheckIds();

/// A new instance of the class registered for `id`; main verified at start
/// that there is exactly one (VerifyCheckRegistrations).
std::unique_ptr<Check> CreateCheck(CheckId id);

}  // namespace llm::gpu_check

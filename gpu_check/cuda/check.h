// Check: one test case of llm-gpu-check (nvbandwidth's Testcase shape). Each
// class measures and returns raw series; judging happens once, at the end, in
// the host library (EvaluateReport), except the re-measurement of failing
// series, which each check drives through RetryFailingSeries.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "check_catalog.h"
#include "comm_abort_registry.h"
#include "health_session.h"
#include "cuda_wait.h"
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
  const Options& options;
  const Profile& profile;
  const MultiNodeConfig& multi_node;
  const std::vector<GpuInfo>& gpus;
  const std::vector<std::vector<int>>& peer_access;
  const EvaluationContext& evaluation;  ///< for the retry decisions
  const SysfsTopology& sysfs;
  ReportStore& store;                   ///< AddSeries as results come in (kept on timeout)
  CommAbortRegistry& comms;
  std::ostream& log;                    ///< progress lines (stderr)
  Deadline deadline;                    ///< this phase's
  std::string nccl_debug_file;          ///< where NCCL's log goes, "" when the user chose
  HealthSession* health = nullptr;      ///< started after the inventory when health is selected
};

class Check {
 public:
  virtual ~Check() = default;
  virtual CheckId id() const = 0;
  const CheckSpec& spec() const { return GetCheckSpec(id()); }
  /// Measures; the returned result has the test name and raw series (and
  /// status kFail with a code only for failures the check itself decides).
  virtual Result<TestResult> Run(CheckContext& ctx) = 0;
};

/// The registry: a Check for each CheckId (check_registry.cpp).
std::unique_ptr<Check> CreateCheck(CheckId id);

}  // namespace llm::gpu_check

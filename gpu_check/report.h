// Report: everything one run measured and decided. The CUDA side fills in
// measurements; the host library evaluates them (test_evaluation.h, verdict.h)
// and writes them out (report_json.h, termination_summary.h). Plain data, so
// tests and the validate-nodes integration tests can build one from fixtures.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "exit_code.h"
#include "health.h"
#include "statistics.h"

namespace llm::gpu_check {

/// Version of the JSON document and of the termination summary (gpu_check/README.md).
inline constexpr int kSchemaVersion = 1;

enum class TestStatus { kPass, kFail, kSkip, kError, kTimeout };

/// "pass", "fail", "skip", "error", "timeout".
std::string_view TestStatusName(TestStatus status);
std::optional<TestStatus> ParseTestStatus(std::string_view name);

struct GpuInfo {
  int index = 0;
  std::string uuid;                 ///< "GPU-xxxxxxxx-..."
  std::string name;                 ///< cudaDeviceProp::name, e.g. "NVIDIA H100 80GB HBM3"
  std::string pci_bus_id;           ///< "0000:18:00.0"
  std::uint32_t pci_device_id = 0;  ///< e.g. 0x2330; 0 when unknown
  int numa_node = -1;
  int sm_count = 0;
  std::uint64_t memory_bytes = 0;
  int cc_major = 0;
  int cc_minor = 0;
  std::string model;  ///< thresholds model key it matched, "" when none
};

struct SoftwareInfo {
  std::string driver;                           ///< "12.8" (cudaDriverGetVersion)
  std::string cuda_runtime;                     ///< "13.0"
  std::string nccl;                             ///< "2.28.9"
  std::map<std::string, std::string> nccl_env;  ///< every NCCL_* variable set
};

struct NodeInfo {
  std::string hostname;
  std::string node_name;      ///< NODE_NAME from the Downward API
  std::string pod;            ///< POD_NAME
  std::string pod_namespace;  ///< POD_NAMESPACE
};

/// A pod-configuration problem found by the environment lint. Blocking ones
/// fail the run with exit 3, since they make measurements meaningless.
struct LintFinding {
  std::string key;  ///< "dev_shm", "memlock", "nccl_env"
  std::string message;
  bool blocking = false;
};

/// One measured quantity (one GPU, or one ordered GPU pair) and its judgement.
struct Series {
  std::string metric;            ///< a key from metrics.h
  int gpu = -1;                  ///< -1: the whole node (NCCL)
  int peer = -1;                 ///< destination GPU of a pair, else -1
  std::vector<double> samples;   ///< GB/s, one per timed sample
  std::uint64_t mismatches = 0;  ///< words that failed verification after the copies
  int attempts = 1;              ///< 1 + retries used
  // Filled by EvaluateTest:
  SampleStats stats;
  std::optional<double> floor;
  TestStatus status = TestStatus::kPass;
  std::string reason;  ///< why it failed, "" when it passed
};

/// One all-reduce size of the NCCL curve; times and bandwidths are medians over repeats.
struct NcclPoint {
  std::uint64_t bytes = 0;
  bool in_place = false;
  double time_us = 0;
  double algbw = 0;         ///< GB/s: bytes / time
  double busbw = 0;         ///< GB/s: algbw * bus_factor
  double bus_factor = 0;    ///< 2(n-1)/n
  std::uint64_t wrong = 0;  ///< elements that differ from the exact expected sum
};

struct TestResult {
  std::string name;  ///< registry key: inventory, hbm, pcie, p2p, nccl, health
  TestStatus status = TestStatus::kPass;
  ExitCode code = ExitCode::kPass;  ///< what this test contributes to the exit status
  std::string reason;               ///< skip reason, error text, or the first failure
  double duration_s = 0;
  std::vector<Series> series;
  std::vector<NcclPoint> nccl;
  std::string nccl_algo;  ///< the algorithm NCCL reported using, "" when unknown
  int nccl_ranks = 0;
  std::vector<std::vector<int>> peer_access;  ///< inventory: [i][j] = 1 when i can access j
  std::optional<HealthSection> health = {};   ///< health: the NVML readings and their findings
};

struct RunConfig {
  std::string profile;             ///< quick | full
  std::vector<std::string> tests;  ///< selected test keys, in run order
  int expect_gpus = 0;             ///< 0: not checked
  int world_size = 1;              ///< nodes taking part in the nccl test
  int rank = 0;                    ///< this node's index among them
  double timeout_s = 0;
  std::string thresholds_source;  ///< "builtin" or the --thresholds path
  double outlier_ratio = 0.85;
};

struct SuspectLink {
  int gpu = 0;
  int peer = 0;
  bool operator==(const SuspectLink&) const = default;
};

struct Verdict {
  TestStatus status = TestStatus::kPass;  ///< pass or fail only
  ExitCode exit_code = ExitCode::kPass;
  std::vector<std::string> failed_tests;
  std::vector<int> suspect_gpus;
  std::vector<SuspectLink> suspect_links;
  std::string reason;  ///< one line for humans, "" on pass
};

struct ToolInfo {
  std::string name = "llm-gpu-check";
  std::string version;
  std::string git;
};

struct Report {
  ToolInfo tool;
  NodeInfo node;
  SoftwareInfo software;
  std::vector<GpuInfo> gpus;
  RunConfig config;
  std::vector<LintFinding> lint;
  std::vector<TestResult> tests;
  Verdict verdict;
  std::string started_at;  ///< RFC 3339 UTC
  std::string finished_at;
  bool partial = false;  ///< written by the watchdog or on SIGTERM before all tests ran
};

}  // namespace llm::gpu_check

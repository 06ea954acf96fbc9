// NodeResult: what validate-nodes concluded about one node, the unit of the
// report, of the node patches and of the exit code.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/rfc3339.h"

namespace llm {

/// pass: the self-test ran and every check met its floor. fail: the self-test
/// ran and judged the node bad. error: no judgement (the pod never ran, timed
/// out, was deleted, or ended without a result); never counted as a pass.
enum class Verdict { kPass, kFail, kError };

/// "pass", "fail", "error".
std::string_view VerdictName(Verdict verdict);

/// The figures the report and the node annotation carry, in GB/s (1e9 bytes/s).
/// Each is the node's worst (lowest median over GPUs or GPU pairs); absent when
/// the test did not measure it.
struct Bandwidths {
  std::optional<double> hbm;              ///< device memory copy, read+write bytes
  std::optional<double> h2d;              ///< host to device, pinned, one GPU at a time
  std::optional<double> d2h;              ///< device to host
  std::optional<double> p2p_min;          ///< lowest GPU->GPU unidirectional pair
  std::optional<double> allreduce_busbw;  ///< NCCL all-reduce bus bandwidth
};

/// A health finding as the self-test's summary names it: the GPU (-1: the
/// node) and the rule (gpu_check/health_rules.h).
struct HealthNote {
  int gpu = 0;
  std::string rule;
  bool operator==(const HealthNote&) const = default;
};

/// The health check's findings; `checked` false when it did not run.
struct HealthNotes {
  bool checked = false;
  std::vector<HealthNote> failed;
  std::vector<HealthNote> warnings;
  bool operator==(const HealthNotes&) const = default;
};

/// What the self-test measured per GPU, for the pictures (--report): medians
/// in GB/s indexed by GPU, nullopt where not measured, and the floors the
/// node was judged against, keyed like Bandwidths' JSON (hbm, h2d, d2h, p2pMin).
struct NodeDetail {
  std::vector<std::optional<double>> hbm;
  std::vector<std::optional<double>> h2d;
  std::vector<std::optional<double>> d2h;
  std::vector<std::vector<std::optional<double>>> p2p;  ///< unidirectional [from][to]
  std::map<std::string, double> floors;
  bool empty() const { return hbm.empty() && h2d.empty() && d2h.empty() && p2p.empty() && floors.empty(); }
  bool operator==(const NodeDetail&) const = default;
};

/// The self-test's own answer, as read from a terminated container.
struct CheckOutcome {
  Verdict verdict = Verdict::kError;
  std::string reason;  ///< "" on pass
  int exit_code = 0;
  Bandwidths bandwidth;
  std::string model;  ///< GPU model the tool matched, "" when unknown
  int gpu_count = 0;
  std::vector<int> suspect_gpus;
  std::optional<TimePoint> started_at;
  std::optional<TimePoint> finished_at;
  HealthNotes health = {};
  NodeDetail detail = {};
};

struct NodeResult {
  std::string node;
  std::string product;    ///< nvidia.com/gpu.product label, "" when absent
  std::string zone = {};  ///< topology.kubernetes.io/zone label, "" when absent
  std::string pod;        ///< "" when no pod was created
  Verdict verdict = Verdict::kError;
  std::string reason;
  std::optional<int> exit_code;  ///< the self-test's, when it ended
  Bandwidths bandwidth;
  std::string model;
  int gpu_count = 0;
  std::vector<int> suspect_gpus;
  std::optional<TimePoint> started_at;  ///< container start (else pod creation)
  std::optional<TimePoint> finished_at;
  HealthNotes health = {};
  NodeDetail detail = {};
};

}  // namespace llm

// NodeResult: what validate-nodes concluded about one node, the unit of the
// report, of the node patches and of the exit code.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "validate/timestamp.h"

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

/// The self-test's own answer, as read from a terminated container.
struct CheckOutcome {
  Verdict verdict = Verdict::kError;
  std::string reason;               ///< "" on pass
  int exit_code = 0;
  Bandwidths bandwidth;
  std::string model;                ///< GPU model the tool matched, "" when unknown
  int gpu_count = 0;
  std::vector<int> suspect_gpus;
  std::optional<TimePoint> started_at;
  std::optional<TimePoint> finished_at;
};

struct NodeResult {
  std::string node;
  std::string product;              ///< nvidia.com/gpu.product label, "" when absent
  std::string pod;                  ///< "" when no pod was created
  Verdict verdict = Verdict::kError;
  std::string reason;
  std::optional<int> exit_code;     ///< the self-test's, when it ended
  Bandwidths bandwidth;
  std::string model;
  int gpu_count = 0;
  std::vector<int> suspect_gpus;
  std::optional<TimePoint> started_at;   ///< container start (else pod creation)
  std::optional<TimePoint> finished_at;
};

}  // namespace llm

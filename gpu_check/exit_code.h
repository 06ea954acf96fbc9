// ExitCode: what llm-gpu-check's exit status tells a Job's podFailurePolicy.
#pragma once

#include <string_view>

namespace llm::gpu_check {

/// The process exit status. The values are a contract with validate-nodes and
/// with podFailurePolicy rules (onExitCodes), so they never change.
enum class ExitCode : int {
  kPass = 0,
  kBelowFloor = 1,    ///< a measurement below its floor, or an outlier against the node median
  kCorruption = 2,    ///< copied or reduced data did not match what was sent
  kTopology = 3,      ///< GPU count, peer access or pod configuration is wrong
  kTimeout = 4,       ///< a phase ran past its deadline and was aborted
  kRuntimeError = 5,  ///< a CUDA or NCCL call failed
  kUsage = 64,        ///< bad command line (sysexits EX_USAGE)
};

/// "pass", "below_floor", "corruption", "topology", "timeout", "runtime_error", "usage".
std::string_view ExitCodeName(ExitCode code);

/// How much a code says about the node; the most severe code of a run becomes
/// the exit status. Corrupted data outranks everything because it is the one
/// result that makes a node unsafe for training even when it is fast.
int ExitCodeSeverity(ExitCode code);

/// Of two codes, the one with the higher severity.
ExitCode MoreSevere(ExitCode a, ExitCode b);

}  // namespace llm::gpu_check

// Reading the self-test's answer from a terminated container: the termination
// message (llm-gpu-check's summary, gpu_check/termination_summary.h, parsed by
// gpu_check's own parser) and the exit code. This is the one place that knows
// the summary's shape, so a new summary version changes only this file.
#pragma once

#include <nlohmann/json.hpp>

#include "node_validation/node_result.h"

namespace llm {

/// Self-test exit codes (gpu_check/exit_code.h); 64 is a usage error, which
/// says nothing about the node.
inline constexpr int kCheckExitUsage = 64;

/// `terminated` is containerStatuses[].state.terminated (exitCode, message,
/// reason, startedAt, finishedAt). Rules, in order:
///  - no parsable summary: error "pod ended without a result (exit code N)"
///    (", REASON" added inside the parentheses when the kubelet gave one other
///    than Error/Completed, e.g. OOMKilled);
///  - exit code 64 (from the container or the summary): error, the tool was
///    misconfigured, not the node;
///  - the summary says fail, or the exit code is 1..5: fail with the summary's
///    reason;
///  - exit 0 with a complete passing summary: pass;
///  - anything else (a partial summary, a kill after a passing summary):
///    error "self-test stopped before it finished (exit code N)".
CheckOutcome ReadCheckResult(const nlohmann::json& terminated);

}  // namespace llm

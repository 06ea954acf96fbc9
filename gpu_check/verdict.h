// ComputeVerdict: the node-level decision of a run, from the tests' statuses,
// the environment lint and whether the run was cut short.
#pragma once

#include "report.h"

namespace llm::gpu_check {

/// Fills report.verdict. The exit code is the most severe code of any failed,
/// errored or timed-out test (ExitCodeSeverity), or 3 for a blocking lint
/// finding. A partial report (watchdog, SIGTERM) is never a pass. Suspect GPUs
/// come from the series that failed and from failing health findings, suspect
/// links from the pair series that failed. Skipped tests (one GPU: p2p and nccl)
/// neither fail nor pass the run; they stay in the report as skip with a reason.
void ComputeVerdict(Report& report);

}  // namespace llm::gpu_check

// The record validate-nodes leaves on a node (labels, the summary annotation
// and the taint of a failed node): written by node_validation/node_patch,
// read by `nodes`, preflight and --require-validated. One home for the names,
// below both writer and readers.
#pragma once

namespace llm {

/// pass | fail | error: the last verdict.
inline constexpr const char* kGpuCheckLabel = "kubectl-llm.dev/gpu-check";
/// Unix seconds of the check, so node affinity can require a recent one (Gt).
inline constexpr const char* kGpuCheckTimeLabel = "kubectl-llm.dev/gpu-check-time";
/// Unix seconds until which the verdict stands (check time + --validity).
inline constexpr const char* kGpuCheckValidUntilLabel = "kubectl-llm.dev/gpu-check-valid-until";
/// The summary JSON (NodeCheckSummary in cli/node_validation/README.md).
inline constexpr const char* kGpuCheckSummaryAnnotation = "kubectl-llm.dev/gpu-check-summary";
/// --taint-failed: kubectl-llm.dev/gpu-check=failed:NoSchedule.
inline constexpr const char* kGpuCheckTaintKey = "kubectl-llm.dev/gpu-check";
inline constexpr const char* kGpuCheckTaintValue = "failed";
inline constexpr const char* kGpuCheckTaintEffect = "NoSchedule";

}  // namespace llm

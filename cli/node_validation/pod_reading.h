// PodReading: what a gpu-check pod's status says, read the same way for the
// single-node pods (ValidationRun) and the pods of a multi-node Job (PairRun),
// so both runs agree on when a pod has ended, is stuck or cannot be scheduled.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "node_validation/node_result.h"

namespace llm {

struct PodReading {
  enum class State {
    kPending,        ///< not bound to a node yet, nothing wrong seen
    kScheduled,      ///< bound to a node, the self-test not running yet
    kRunning,        ///< the self-test's container runs
    kEnded,          ///< a terminated container or a terminal phase: `outcome` holds the answer
    kStuck,          ///< will not start by itself (image pull, container config): `reason`
    kUnschedulable,  ///< PodScheduled=False/Unschedulable: `reason` is the scheduler's message
  };
  State state = State::kPending;
  /// kEnded: the self-test's answer (ReadCheckResult), or an error when the pod
  /// failed without a container result.
  CheckOutcome outcome;
  /// kEnded: the outcome comes from a terminated container (exit code and
  /// figures are real), not only from the pod's phase.
  bool from_container = false;
  /// kStuck: the whole reason ("image could not be pulled: REASON: message");
  /// kUnschedulable: the scheduler's message.
  std::string reason;
  std::optional<TimePoint> started_at;  ///< kRunning: the container's startedAt
  bool terminal_phase = false;          ///< status.phase is Succeeded or Failed
  std::string node;                     ///< spec.nodeName, "" while unscheduled
};

/// Rules, in order: a terminated gpu-check container (else the first
/// container) -> kEnded with ReadCheckResult; phase Failed -> kEnded, error
/// "pod failed: REASON: MESSAGE"; phase Succeeded without a container status ->
/// kEnded, error "pod ended without a result (no container status)"; a
/// waiting container in ErrImagePull, ImagePullBackOff, InvalidImageName or
/// ErrImageNeverPull -> kStuck "image could not be pulled: ..."; in
/// CreateContainerConfigError, CreateContainerError or RunContainerError ->
/// kStuck "container could not start: ..."; PodScheduled=False/Unschedulable ->
/// kUnschedulable; a running container -> kRunning; a node name or
/// PodScheduled=True -> kScheduled; else kPending. Never throws on odd shapes.
PodReading ReadGpuCheckPod(const nlohmann::json& pod);

/// Cuts a watched gpu-check pod down, in place, to what ReadGpuCheckPod and
/// the runs read of it: metadata (name, labels, annotations, owner; not
/// managedFields), spec.nodeName and status. A run remembers each of its pods
/// (10,000 of them on 10,000 nodes): whole, with their spec and managed
/// fields, they were most of its memory.
void KeepRunPodFields(nlohmann::json& pod);

}  // namespace llm

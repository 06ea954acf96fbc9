// `kubectl llm scale NAME --replicas N`: through the scale subresource, as
// `kubectl scale` does (Deployment replicas, LeaderWorkerSet groups), with
// kubectl's --current-replicas precondition. `--min/--max` move the bounds of
// the workload's autoscaler (HorizontalPodAutoscaler minReplicas/maxReplicas
// or KEDA ScaledObject minReplicaCount/maxReplicaCount). Training jobs are
// refused: their pods are ranks of one run with a fixed world size. A scale
// that changes the cluster records a revision (`kubectl llm history`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "commands/command.h"
#include "commands/workload_revisions.h"
#include "kube/rest_client.h"
#include "kube/rest_mapper.h"

namespace llm {

struct ScaleOptions {
  std::string name{};
  std::optional<int64_t> replicas{};          ///< --replicas
  std::optional<int64_t> current_replicas{};  ///< --current-replicas: precondition
  std::optional<int64_t> min_replicas{};      ///< --min
  std::optional<int64_t> max_replicas{};      ///< --max
  bool dry_run = false;                       ///< --dry-run=server
};

/// Who scales and the clock to stamp the revision a scale records.
struct ScaleRecorder {
  CallerIdentity caller;
  Clock& clock;
};

Status ValidateScaleOptions(const ScaleOptions& options);
/// `recorder` null: nothing is recorded (--dry-run=server). Otherwise the
/// scale is a revision of the workload (operation "scale", see
/// workload/scaled_revision.h), pending before the change and deployed or
/// failed after it.
Status RunScale(const ScaleOptions& options, kube::RestClient& client, kube::RestMapper& mapper, const std::string& ns,
                IoStreams streams, const ScaleRecorder* recorder = nullptr);

void SetupScaleCommand(CLI::App* cmd, CommandContext& ctx);

}  // namespace llm

// `kubectl llm scale NAME --replicas N`: through the scale subresource, as
// `kubectl scale` does (Deployment replicas, LeaderWorkerSet groups), with
// kubectl's --current-replicas and --resource-version preconditions, -o name
// and --dry-run. `--min/--max` move the bounds of
// the workload's autoscaler (HorizontalPodAutoscaler minReplicas/maxReplicas
// or KEDA ScaledObject minReplicaCount/maxReplicaCount). `--nodes K` resizes
// an elastic training job (train --nodes MIN:MAX) within the bounds it carries:
// completions and parallelism of its Indexed Job together (Kubernetes >= 1.31;
// a scale-down removes the highest indexes, never index 0, which hosts the
// rendezvous store), or its JobSet's where the server accepts that (asked with
// a server dry run first, never assumed); `--wait` follows it there
// (commands/elastic_scale_wait.h). Other training jobs are refused: their pods
// are ranks of one run with a fixed world size. A scale that changes the
// cluster records a revision (`kubectl llm history`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "commands/command.h"
#include "commands/workload_revisions.h"
#include "kube/dry_run.h"
#include "kube/rest_client.h"
#include "kube/rest_mapper.h"
#include "output/terminal.h"
#include "util/clock.h"

namespace llm {

struct ScaleOptions {
  std::string name{};
  std::optional<int64_t> replicas{};           ///< --replicas
  std::optional<int64_t> current_replicas{};   ///< --current-replicas: precondition
  std::optional<int64_t> min_replicas{};       ///< --min
  std::optional<int64_t> max_replicas{};       ///< --max
  std::optional<int64_t> nodes{};              ///< --nodes: an elastic training job's new size
  kube::DryRun dry_run = kube::DryRun::kNone;  ///< --dry-run: client changes nothing, server checks the change
  bool wait = false;                           ///< --wait: follow --nodes until the job runs them
  std::string timeout = "10m";                 ///< how long --wait waits
  std::string resource_version{};              ///< --resource-version: precondition on the scale's
  std::string output{};                        ///< -o: "" or name
};

/// Who scales and the clock to stamp the revision a scale records.
struct ScaleRecorder {
  CallerIdentity caller;
  Clock& clock;
};

/// What `--nodes K --wait` needs to follow the job: the progress display and
/// the exit code of a failed wait (kExitWorkloadFailed, kExitTimedOut).
struct ScaleFollow {
  Clock& clock;
  Terminal& terminal;
  std::optional<int>& error_exit_code;
};

Status ValidateScaleOptions(const ScaleOptions& options);
/// `recorder` null: nothing is recorded (--dry-run=server). Otherwise the
/// scale is a revision of the workload (operation "scale", see
/// workload/scaled_revision.h), pending before the change and deployed or
/// failed after it.
Status RunScale(const ScaleOptions& options, kube::RestClient& client, kube::RestMapper& mapper, const std::string& ns,
                IoStreams streams, const ScaleRecorder* recorder = nullptr, const ScaleFollow* follow = nullptr);

void SetupScaleCommand(CLI::App* cmd, CommandContext& ctx);

}  // namespace llm

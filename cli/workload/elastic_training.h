// An elastic training job (`train --nodes MIN:MAX`) as the cluster holds it:
// its bounds (the kubectl-llm.dev/elastic-nodes annotation on the Job or
// JobSet), how many nodes it asks for now, how often its pods were replaced,
// and whether Kueue lets it change size. `scale --nodes` and `status` read it
// here, so a job trained on one machine is scaled and listed from another.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace llm {

/// An elastic job's node bounds: 1 <= min <= max.
struct NodeRange {
  int64_t min = 1;
  int64_t max = 1;
  bool operator==(const NodeRange&) const = default;
};

/// "MIN:MAX": decimal digits only, 1 <= MIN <= MAX <= `limit`; nullopt for
/// anything else (the caller says what it accepts).
std::optional<NodeRange> ParseNodeRange(std::string_view text, int64_t limit);
/// "MIN:MAX", the annotation's value and what the flag takes.
std::string FormatNodeRange(const NodeRange& range);

struct ElasticJob {
  std::string kind;  ///< Job or JobSet
  NodeRange bounds;
  /// The nodes it asks for now: a Job's spec.parallelism (= completions), a
  /// JobSet's first replicated job's parallelism.
  int64_t nodes = 0;
  /// Pods the controller replaced after they failed: a Job's status.failed
  /// (pods a scale-down removed are not counted), a JobSet's status.restarts
  /// (each one recreates every pod).
  int64_t restarts = 0;
  /// Labelled for a Kueue LocalQueue (kueue.x-k8s.io/queue-name).
  bool queued = false;
  /// Kueue may resize it while admitted: the elastic-job annotation, and the
  /// scheduling gate Kueue's webhook adds to the pod template only when its
  /// ElasticJobsViaWorkloadSlices feature gate is on.
  bool kueue_elastic = false;
  /// Complete/Completed or Failed: a finished job cannot change size.
  bool finished = false;
  /// torchrun's --max-restarts (PET_MAX_RESTARTS of its first container); -1 when not set.
  int64_t max_restarts = -1;
};

/// nullopt unless `object` is a Job or JobSet whose elastic-nodes annotation
/// holds valid bounds.
std::optional<ElasticJob> ReadElasticJob(const nlohmann::json& object);

}  // namespace llm

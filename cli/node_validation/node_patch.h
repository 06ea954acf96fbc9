// What --record and --taint-failed write on a node, as one JSON merge patch
// (RFC 7386, Content-Type application/merge-patch+json) per node.
//
// Why merge patch and not server-side apply: labels and annotations are maps,
// which a merge patch updates key by key, leaving every other key alone. Taints
// are a list, and Node.spec.taints carries no list-map markers, so server-side
// apply treats it as atomic too: either way the whole list is written. So the
// patch carries the full new list computed from the node as read, plus that
// node's metadata.resourceVersion, which makes the API server refuse the patch
// (409 Conflict) if anyone changed the node since: re-read it and recompute.
// Without a taint change no resourceVersion is sent and the patch cannot conflict.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "node_validation/node_result.h"
#include "util/duration.h"
#include "workload/gpu_check_record.h"

namespace llm {

struct RecordSettings {
  bool record = false;        ///< --record
  bool taint_failed = false;  ///< --taint-failed
  Seconds validity{7 * 86400};
  std::string tool_version;  ///< kubectl-llm's version (the image is built with it)
  std::string image;         ///< the self-test image that ran
  std::string profile;       ///< quick | full
};

/// The annotation's value: a compact, stable JSON object (README.md, NodeCheckSummary).
/// `checked_at` is when the verdict was reached.
nlohmann::ordered_json NodeCheckSummary(const NodeResult& result, const RecordSettings& settings, TimePoint checked_at);

/// Cuts a watched node down, in place, to what ComputeNodePatch reads
/// (metadata.name and resourceVersion, spec.taints): a run remembers each of
/// its nodes until it records them.
void KeepPatchFields(nlohmann::json& node);

/// The merge patch for one node, or nullopt when nothing would change (no
/// --record, and the taints are already as they should be). Taints: a fail
/// adds (or corrects the value of) kubectl-llm.dev/gpu-check:NoSchedule; a pass
/// removes it; an error leaves taints alone, since it says nothing about the
/// node. Every other taint is kept exactly as read.
std::optional<nlohmann::json> ComputeNodePatch(const NodeResult& result, const nlohmann::json& current_node,
                                               const RecordSettings& settings, TimePoint checked_at);

}  // namespace llm

// What applying a workload's objects would make of the live ones, asked of the
// server (a server-side dry run of the ApplySet apply, its prune included):
// the pairs `kubectl diff` compares. Shared by `diff serve|train` (the
// rendered objects) and `diff NAME --revision A` (a recorded revision's).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "commands/workload_apply_command.h"
#include "util/result.h"

namespace llm {

class ClusterSession;

struct LiveAndMerged {
  nlohmann::json live;    ///< null: the object does not exist yet
  nlohmann::json merged;  ///< null: the apply would prune it
};

/// The objects carry the kubernetes.io/change-cause of the workload's newest
/// revision first, so that audit annotation alone is never a difference.
Result<std::vector<LiveAndMerged>> DryRunAgainstLive(ClusterSession& session, const std::string& name,
                                                     std::vector<nlohmann::json> objects,
                                                     const FieldOwnershipFlags& ownership);

}  // namespace llm

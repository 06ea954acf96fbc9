#include "commands/live_dry_run.h"

#include "commands/cluster_session.h"
#include "commands/workload_revisions.h"
#include "workload/change_cause.h"

namespace llm {

using nlohmann::json;

Result<std::vector<LiveAndMerged>> DryRunAgainstLive(ClusterSession& session, const std::string& name,
                                                     std::vector<json> objects, const FieldOwnershipFlags& ownership) {
  // serve records its command line as kubernetes.io/change-cause; the diff
  // carries the one the newest revision set.
  WorkloadRevisions revisions(session.client(), session.clock(), session.ns(), name);
  LLM_ASSIGN_OR_RETURN(std::vector<RevisionAudit> history, revisions.List());
  if (const RevisionAudit* newest = NewestApplied(history)) {
    objects =
        WithChangeCause(std::move(objects), newest->change_cause.empty() ? newest->command_line : newest->change_cause);
  }

  LLM_ASSIGN_OR_RETURN(kube::ApplyOutcome outcome,
                       session.applier().Apply(objects, {name, session.ns()},
                                               WorkloadApplyApplierOptions(session, ownership, /*dry_run=*/true)));
  if (!outcome.errors.empty()) return outcome.errors.front();
  std::vector<LiveAndMerged> pairs;
  for (const kube::ObjectResult& result : outcome.results) {
    LiveAndMerged pair;
    if (result.action == kube::ApplyAction::kPruned) {
      pair.live = result.object;
    } else {
      auto got = session.client().Get(result.ref);
      if (got.ok()) {
        pair.live = *got;
      } else if (got.error().kind() != ErrorKind::kNotFound) {
        return got.error();
      }
      pair.merged = result.object;
    }
    pairs.push_back(std::move(pair));
  }
  return pairs;
}

}  // namespace llm

#include "commands/revision_diff_command.h"

#include <memory>

#include <fmt/format.h>

#include "commands/cluster_session.h"
#include "commands/diff_program.h"
#include "commands/live_dry_run.h"
#include "commands/workload_revisions.h"
#include "workload/object_diff.h"
#include "workload/revision_diff.h"

namespace llm {
namespace {

using nlohmann::json;

std::string RevisionDir(int number) { return fmt::format("REVISION-{}", number); }

}  // namespace

Status ValidateRevisionDiffOptions(const RevisionDiffOptions& options) {
  if (options.name.empty()) {
    return Error(ErrorKind::kUsage,
                 "diff needs serve|train NAME [flags] (what serve or train would change) or NAME --revision A[..B]");
  }
  if (options.revision.empty()) {
    return Error(ErrorKind::kUsage,
                 fmt::format("diff {} needs --revision A (revision A against the live objects) or A..B (two "
                             "revisions); to diff what serve would change: kubectl llm diff serve {} [flags]",
                             options.name, options.name));
  }
  LLM_RETURN_IF_ERROR(ParseRevisionRange(options.revision));
  return options.ownership.Validate();
}

Status RunRevisionDiff(const RevisionDiffOptions& options, const kube::ConfigFlags& flags, IoStreams streams,
                       bool& differences) {
  differences = false;
  LLM_RETURN_IF_ERROR(ValidateRevisionDiffOptions(options));
  LLM_ASSIGN_OR_RETURN(RevisionRange range, ParseRevisionRange(options.revision));
  LLM_ASSIGN_OR_RETURN(std::unique_ptr<ClusterSession> session, ClusterSession::Open(flags, streams));
  WorkloadRevisions revisions(session->client(), session->clock(), session->ns(), options.name);
  LLM_ASSIGN_OR_RETURN(Revision from, revisions.Read(range.from));
  std::vector<std::pair<nlohmann::json, nlohmann::json>> pairs;
  std::string to_dir = "LIVE";
  if (range.to) {
    LLM_ASSIGN_OR_RETURN(Revision to, revisions.Read(*range.to));
    pairs = PairObjectLists(from.objects, to.objects);
    to_dir = RevisionDir(*range.to);
  } else {
    LLM_ASSIGN_OR_RETURN(std::vector<LiveAndMerged> live_and_merged,
                         DryRunAgainstLive(*session, options.name, std::move(from.objects), options.ownership));
    for (LiveAndMerged& pair : live_and_merged) pairs.emplace_back(std::move(pair.merged), std::move(pair.live));
  }
  LLM_ASSIGN_OR_RETURN(
      differences, ShowObjectDiffs(pairs, RevisionDir(range.from), to_dir, options.show_managed_fields, streams.out));
  return Ok();
}

}  // namespace llm

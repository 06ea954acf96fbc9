// `kubectl llm history NAME [-o wide|json|yaml] [--max N]`: the revisions
// serve and train recorded for a workload (commands/workload_revisions.h),
// oldest first as `helm history` lists them, read from the workload's revision
// index (one small object, workload/revision_index.h), or by a metadata-only
// list of the revisions when there is no index or a flag needs the Secrets.
// -o wide adds the audit columns and the live workload's field managers, so a
// change made behind the plugin's back shows up as drift. Takes kubectl get's
// listing flags (commands/listing_flags.h) over the revision Secrets: -l on
// their labels (kubectl-llm.dev/revision-status=deployed, .../operation=scale),
// --sort-by on their metadata, -w watches them.
#pragma once

#include <string>

#include "commands/command.h"
#include "commands/listing_flags.h"
#include "commands/listing_watch.h"
#include "kube/rest_client.h"
#include "kube/rest_mapper.h"
#include "util/clock.h"

namespace llm {

struct HistoryOptions {
  std::string name;
  std::string output;  ///< "", wide, json, yaml
  int max = 256;       ///< --max: the newest N (helm history's default is 256); 0 for every one
  std::string field_manager = "kubectl-llm";
  ListingFlags listing{};  ///< -l, --field-selector, --sort-by, -L, --show-labels, --no-headers, -w
};

struct HistoryPlan {
  OutputSpec output;
  ListingOptions listing;
};

Result<HistoryPlan> ValidateHistoryOptions(const HistoryOptions& options);
/// With -w, runs until Ctrl-C (`watch` must be set).
Status RunHistory(const HistoryOptions& options, kube::RestClient& client, kube::RestMapper& mapper, Clock& clock,
                  const std::string& ns, IoStreams streams, const ListingWatchEnv* watch = nullptr);

void SetupHistoryCommand(CLI::App* cmd, CommandContext& ctx);

}  // namespace llm

// `kubectl llm history NAME [-o wide|json|yaml] [--max N]`: the revisions
// serve and train recorded for a workload (commands/workload_revisions.h),
// oldest first as `helm history` lists them, read by a metadata-only list.
// -o wide adds the audit columns and the live workload's field managers, so a
// change made behind the plugin's back shows up as drift.
#pragma once

#include <string>

#include "commands/command.h"
#include "kube/rest_client.h"
#include "kube/rest_mapper.h"
#include "util/clock.h"

namespace llm {

struct HistoryOptions {
  std::string name;
  std::string output;  ///< "", wide, json, yaml
  int max = 256;       ///< --max: the newest N (helm history's default is 256); 0 for every one
  std::string field_manager = "kubectl-llm";
};

Status ValidateHistoryOptions(const HistoryOptions& options);
Status RunHistory(const HistoryOptions& options, kube::RestClient& client, kube::RestMapper& mapper, Clock& clock,
                  const std::string& ns, IoStreams streams);

void SetupHistoryCommand(CLI::App* cmd, CommandContext& ctx);

}  // namespace llm

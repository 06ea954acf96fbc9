// `kubectl llm status [NAME]` and `kubectl llm list`: the workloads this tool
// made, one row each (cli/workload/workload_status.h), as a table or as the
// stable WorkloadStatusList (-o json|yaml). Reads only the controller objects
// and Services, a page at a time, never the pods. Takes kubectl get's listing
// flags (commands/listing_flags.h): -l and --field-selector go to the server
// with the workload kinds' lists, -w watches the workload kinds, Services and
// autoscalers.
#pragma once

#include <chrono>
#include <string>

#include "commands/command.h"
#include "commands/listing_flags.h"
#include "commands/listing_watch.h"
#include "kube/rest_client.h"
#include "kube/rest_mapper.h"
#include "output/output_format.h"

namespace llm {

struct StatusOptions {
  std::string name{};           ///< "" = every workload
  std::string output{};         ///< -o: "", wide, json, yaml, jsonpath=..., custom-columns=...
  bool all_namespaces = false;  ///< -A
  ListingFlags listing{};       ///< -l, --field-selector, --sort-by, -L, --show-labels, --no-headers, -w
};

/// The options, checked.
struct StatusPlan {
  OutputSpec output;
  ListingOptions listing;
};

struct StatusTarget {
  kube::RestClient& client;
  kube::RestMapper& mapper;
  std::string ns{};  ///< the namespace when not -A
  std::chrono::system_clock::time_point now;
  const ListingWatchEnv* watch = nullptr;  ///< for -w: where it prints, and Ctrl-C
};

Result<StatusPlan> ValidateStatusOptions(const StatusOptions& options);
/// NAME given and not found: kubectl's NotFound error. Nothing found otherwise:
/// "No resources found in NS namespace." on stderr (as kubectl get), exit 0.
/// With -w, runs until Ctrl-C (target.watch must be set).
Status RunStatus(const StatusOptions& options, const StatusTarget& target, IoStreams streams);

void SetupStatusCommand(CLI::App* cmd, CommandContext& ctx);
void SetupListCommand(CLI::App* cmd, CommandContext& ctx);

}  // namespace llm

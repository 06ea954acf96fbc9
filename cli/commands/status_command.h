// `kubectl llm status [NAME]` and `kubectl llm list`: the workloads this tool
// made, one row each (cli/workload/workload_status.h), as a table or as the
// stable WorkloadStatusList (-o json|yaml). Reads only the controller objects
// and Services, a page at a time, never the pods.
#pragma once

#include <chrono>
#include <string>

#include "commands/command.h"
#include "kube/rest_client.h"
#include "kube/rest_mapper.h"
#include "output/output_format.h"

namespace llm {

struct StatusOptions {
  std::string name{};           ///< "" = every workload
  std::string output{};         ///< -o: "", wide, json, yaml, jsonpath=..., custom-columns=...
  bool all_namespaces = false;  ///< -A
  bool no_headers = false;
};

struct StatusTarget {
  kube::RestClient& client;
  kube::RestMapper& mapper;
  std::string ns{};  ///< the namespace when not -A
  std::chrono::system_clock::time_point now;
};

Result<OutputSpec> ValidateStatusOptions(const StatusOptions& options);
/// NAME given and not found: kubectl's NotFound error. Nothing found otherwise:
/// "No resources found in NS namespace." on stderr (as kubectl get), exit 0.
Status RunStatus(const StatusOptions& options, const StatusTarget& target, IoStreams streams);

void SetupStatusCommand(CLI::App* cmd, CommandContext& ctx);
void SetupListCommand(CLI::App* cmd, CommandContext& ctx);

}  // namespace llm

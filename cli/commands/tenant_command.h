// `kubectl llm tenant init|create|delete|list|status|verify`: safe multi-team
// GPU sharing from Kubernetes' own pieces (namespace with Pod Security labels,
// ResourceQuota, LimitRange, NetworkPolicies, RBAC, PriorityClasses, Kueue
// queues with cohort borrowing), each tenant one ApplySet whose parent lives
// in kubectl-llm-system. No controller of ours. The objects: cli/tenant/.
// One file per verb: tenant_{apply,delete,status,verify}_command.cpp; this
// header's .cpp is the subcommand tree.
#pragma once

#include <optional>
#include <string>

#include "commands/command.h"
#include "kube/dry_run.h"
#include "output/output_format.h"
#include "tenant/tenant_config.h"

namespace llm {

class ClusterSession;

inline constexpr OutputFormat kTenantApplyOutputs[] = {OutputFormat::kTable, OutputFormat::kYaml, OutputFormat::kJson};
inline constexpr kube::DryRun kTenantApplyDryRuns[] = {kube::DryRun::kNone, kube::DryRun::kClient,
                                                       kube::DryRun::kServer};
inline constexpr OutputFormat kTenantStatusOutputs[] = {OutputFormat::kTable, OutputFormat::kJson, OutputFormat::kYaml};

struct TenantApplyOptions {
  std::string dry_run = "none";  ///< none, client, server
  std::string output;            ///< "" (one line per object), yaml, json
};
/// A usage error for a bad -o or --dry-run, before any connection.
Status ValidateTenantApplyOptions(const TenantApplyOptions& options);

Status RunTenantInit(const TenantApplyOptions& options, ClusterSession& session, IoStreams streams);
Status RunTenantCreate(const tenant::TenantFlags& flags, const TenantApplyOptions& options, ClusterSession& session,
                       IoStreams streams);

struct TenantDeleteOptions {
  std::string team;
  bool force = false;
  bool wait = false;
  std::string timeout = "5m";
};
Status RunTenantDelete(const TenantDeleteOptions& options, ClusterSession& session, IoStreams streams,
                       std::optional<int>& error_exit_code);

struct TenantStatusOptions {
  std::string team;    ///< "" for list
  std::string output;  ///< "", json, yaml
};
Status RunTenantStatus(const TenantStatusOptions& options, ClusterSession& session, IoStreams streams);

/// Exit 1 (an error saying how many holes) when any check fails.
Status RunTenantVerify(const std::string& team, ClusterSession& session, IoStreams streams);

void SetupTenantCommand(CLI::App* cmd, CommandContext& ctx);

}  // namespace llm

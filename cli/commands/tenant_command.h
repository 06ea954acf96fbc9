// `kubectl llm tenant init|create|delete|list|status|verify`: safe multi-team
// GPU sharing from Kubernetes' own pieces (namespace with Pod Security labels,
// ResourceQuota, LimitRange, NetworkPolicies, RBAC, PriorityClasses, Kueue
// queues with cohort borrowing), each tenant one ApplySet whose parent lives
// in kubectl-llm-system. No controller of ours. The objects: cli/tenant/.
#pragma once

#include <optional>
#include <string>

#include "commands/command.h"
#include "kube/config_flags.h"
#include "kube/rest_client.h"
#include "tenant/tenant_config.h"

namespace llm {

class ClusterSession;

struct TenantApplyOptions {
  std::string dry_run = "none";  ///< none, client, server
  std::string output;            ///< "" (one line per object), yaml, json
};

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

/// What serve and train take from a tenant's namespace: its LocalQueue and
/// PriorityClass (the namespace's annotations), each "" when it sets none.
/// A namespace the caller may not read, or that is no tenant's, sets nothing.
struct TenantDefaults {
  std::string team;
  std::string local_queue;
  std::string priority_class;
};
TenantDefaults ReadTenantDefaults(kube::RestClient& client, const std::string& ns);

void SetupTenantCommand(CLI::App* cmd, CommandContext& ctx);

}  // namespace llm

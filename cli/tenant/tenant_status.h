// What `tenant list` and `tenant status` show: GPUs used against the quota
// (from the ResourceQuota's status, which the API server keeps), pods,
// workloads, and Kueue's view (pending and admitted workloads, GPUs borrowed
// from the cohort). Pure functions over objects already read.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "output/table_printer.h"

namespace llm::tenant {

struct QuotaLine {
  std::string resource;  ///< "requests.nvidia.com/gpu"
  std::string used, hard;
};

struct QueueStatus {
  std::string local_queue, cluster_queue;
  int64_t pending = 0, admitted = 0;
  int64_t nominal_gpus = 0;   ///< the ClusterQueue's GPU nominal quota, all flavors
  int64_t borrowed_gpus = 0;  ///< GPUs in use beyond it, borrowed from the cohort
};

struct TenantStatus {
  std::string name;
  std::string created;  ///< the namespace's creationTimestamp
  std::string phase;    ///< the namespace's (Active, Terminating)
  std::optional<int64_t> gpus_used, gpus_quota;
  std::vector<QuotaLine> quota;
  int64_t pods = 0;       ///< not finished
  int64_t workloads = 0;  ///< made by kubectl-llm (serve, train)
  std::optional<QueueStatus> queue;
  std::string pod_security;
  std::string priority_class;
  std::vector<std::string> members;  ///< "User/alice", "ServiceAccount/ns/name"
};

/// `quota`, `binding`, `local_queue`, `cluster_queue` may be null (not found, not served).
TenantStatus SummarizeTenant(const nlohmann::json& ns, const nlohmann::json* quota, const nlohmann::json& pods,
                             int64_t workloads, const nlohmann::json* binding, const nlohmann::json* local_queue,
                             const nlohmann::json* cluster_queue);

/// `tenant status -o json`: a TenantStatus (kubectl-llm.dev/v1alpha1); schema in cli/tenant/README.md.
nlohmann::ordered_json TenantStatusJson(const TenantStatus& status);
/// `tenant list -o json`: a TenantStatusList.
nlohmann::ordered_json TenantStatusListJson(const std::vector<TenantStatus>& statuses);

/// NAME GPUS PODS WORKLOADS PENDING ADMITTED BORROWED AGE (GPUS: used/quota).
Table TenantTable(const std::vector<TenantStatus>& statuses, std::chrono::system_clock::time_point now);

}  // namespace llm::tenant

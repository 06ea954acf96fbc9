// The workloads this tool made: controller objects labelled
// app.kubernetes.io/managed-by=kubectl-llm, of the kinds status/scale/logs
// know (Deployment, StatefulSet, LeaderWorkerSet, JobSet, Job), asked only of the kinds the
// server serves (discovery). Objects owned by another controller (the Jobs a
// JobSet makes) are not workloads of their own.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kube/rest_client.h"
#include "kube/rest_mapper.h"
#include "kube/well_known_names.h"
#include "util/result.h"

namespace llm {

/// "app.kubernetes.io/managed-by=kubectl-llm": what everything this tool renders carries.
std::string ManagedBySelector();

struct WorkloadKind {
  std::string api_version;  ///< the version the tool renders: "apps/v1"
  std::string kind;
};

/// Deployment, StatefulSet, LeaderWorkerSet, JobSet, Job: the order status lists them in.
const std::vector<WorkloadKind>& ManagedWorkloadKinds();
/// Deployment, LeaderWorkerSet: the kinds serve runs a model server as, so
/// what test and metrics look through first (a list per kind is a request).
const std::vector<WorkloadKind>& ServingWorkloadKinds();

struct ManagedWorkload {
  nlohmann::json object;
  kube::RestMapping mapping;  ///< resource of the object (ns and name left empty)
};

/// The plugin's own words for a NAME that no workload has (no server said
/// NotFound: the plugin looked through the kinds it makes and found none).
Error NoWorkloadError(const std::string& name, const std::string& ns);

/// What narrows a listing of workloads beyond the tool's own labels: the
/// user's -l and --field-selector (commands/listing_flags.h), sent to the server.
struct WorkloadFilter {
  std::string label_selector;
  std::string field_selector;
};

/// The label selector workloads are listed with: managed-by, then
/// instance=NAME when `name` is given, then the user's `extra`.
std::string ManagedWorkloadSelector(const std::string& name, const std::string& extra = "");

/// The mappings of those of `kinds` the server serves, in the order of `kinds`.
Result<std::vector<kube::RestMapping>> ServedWorkloadMappings(
    kube::RestMapper& mapper, const std::vector<WorkloadKind>& kinds = ManagedWorkloadKinds());

/// A listed (or watched) item of `mapping` as a workload, with the apiVersion
/// and kind a List's items lack; nullopt for an object another controller
/// owns (the Jobs a JobSet makes).
std::optional<ManagedWorkload> AsManagedWorkload(nlohmann::json item, const kube::RestMapping& mapping);

/// By namespace, name, kind: the order status lists workloads in.
void SortManagedWorkloads(std::vector<ManagedWorkload>& workloads);

/// Workloads of `kinds` in `ns` ("" = every namespace), optionally only the
/// one whose app.kubernetes.io/instance is `name` and only those `filter`
/// selects; sorted by namespace, name, kind.
Result<std::vector<ManagedWorkload>> ListManagedWorkloads(
    kube::RestClient& client, kube::RestMapper& mapper, const std::string& ns, const std::string& name,
    const std::vector<WorkloadKind>& kinds = ManagedWorkloadKinds(), const WorkloadFilter& filter = {});

/// Exactly one workload NAME of `kinds` in `ns`; NoWorkloadError when none, an
/// error naming the kinds when several share the name.
Result<ManagedWorkload> FindManagedWorkload(kube::RestClient& client, kube::RestMapper& mapper, const std::string& ns,
                                            const std::string& name,
                                            const std::vector<WorkloadKind>& kinds = ManagedWorkloadKinds());

}  // namespace llm

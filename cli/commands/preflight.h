// Preflight for serve/train: checks made before any object is written, so a
// request that cannot work is refused with one sentence instead of leaving a
// half-applied workload behind.
//  1. access: every (verb create/patch, resource, namespace) the apply needs,
//     the ApplySet parent Secret included: one SelfSubjectRulesReview per
//     namespace grants what its rules grant, a SelfSubjectAccessReview decides
//     each need left (cluster-scoped, not granted, or the rules incomplete); a
//     denial is a Forbidden error naming the verb and resource;
//  2. GPU fit (CheckGpuFit) over the nodes and pods the caller can list; a
//     caller who may not list nodes gets a warning and the check is skipped;
//     a request no node set can ever hold is an error, unless a node
//     autoscaler could add the room it lacks (a Karpenter NodePool that holds
//     the pods, a cluster-autoscaler node group below its maximum; see
//     workload/node_autoscalers.h): then it is a warning naming what is
//     missing and who may add it, and the apply goes on. Those are read only
//     then (the first page of NodePools, the cluster-autoscaler's status
//     ConfigMap); what the caller may not read is noted in the refusal;
//     with --require-validated, nodes whose pass is too old are left out of
//     the fit, and no validated GPU node at all is an error;
//  3. referenced Secrets, PVCs, PriorityClass and Kueue LocalQueue exist
//     (warnings).
// For elastic training (train --nodes MIN:MAX) the fit is judged for MIN
// pods (fewer never run; more are welcome, not needed), and the free GPUs
// decide how many nodes it starts with: MAX when they fit, else as many as
// fit now, not below MIN.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kube/rest_client.h"
#include "kube/rest_mapper.h"
#include "util/result.h"
#include "workload/elastic_training.h"
#include "workload/require_validated.h"

namespace llm {

struct PreflightRequest {
  std::vector<nlohmann::json> objects;  ///< rendered manifests
  std::string ns;                       ///< target namespace (also the ApplySet parent's)
  std::string instance;                 ///< NAME: its own pods are not counted as using GPUs
  /// --require-validated: at least one GPU node must count as validated at
  /// `now`, and the GPU fit is judged over those nodes only.
  std::optional<RequireValidated> require_validated;
  TimePoint now = std::chrono::system_clock::now();
  /// train --nodes MIN:MAX: the bounds of the elastic job among `objects`.
  std::optional<NodeRange> elastic;
};

/// Where an elastic job starts: MAX when MAX pods fit the free GPUs now, else
/// as many as fit, not below MIN.
struct ElasticStart {
  int64_t nodes = 0;
  int64_t fit_now = 0;  ///< pods of its size the free GPUs hold now
};

/// Ok with warnings ("Warning: ..." lines without the prefix), or the first
/// error that must stop the apply. With request.elastic, `start` (when given)
/// receives where the job starts, unless the fit was not checked (the caller
/// may not list nodes or pods).
/// What RunPreflight reads first, for RestClient::Prefetch: the access
/// (rules) review in the namespace and, when the GPU fit is checked, the nodes.
std::vector<kube::PlannedRead> PreflightReads(const PreflightRequest& request);

Result<std::vector<std::string>> RunPreflight(kube::RestClient& client, kube::RestMapper& mapper,
                                              const PreflightRequest& request,
                                              std::optional<ElasticStart>* start = nullptr);

}  // namespace llm

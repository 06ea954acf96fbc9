// Which Kubernetes kind carries a workload. A pure function of what the
// cluster serves (from discovery) so serve/train can call it after discovery
// and render can call it with --backend and no cluster at all.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "util/result.h"

namespace llm {

enum class Backend {
  kDeployment,       ///< serve, one node per replica (apps/v1)
  kLeaderWorkerSet,  ///< serve, several nodes per replica (leaderworkerset.x-k8s.io/v1)
  kJobSet,           ///< train (jobset.x-k8s.io/v1alpha2)
  kIndexedJob,       ///< train without JobSet: Indexed Job + headless Service (core only)
  kPod,              ///< gpu-check
};

/// "deployment", "leaderworkerset", "jobset", "indexed-job", "pod": the --backend words.
std::string_view BackendName(Backend backend);
Result<Backend> ParseBackend(std::string_view name);

/// What discovery found, as "group/Kind" strings ("leaderworkerset.x-k8s.io/LeaderWorkerSet",
/// "jobset.x-k8s.io/JobSet", "keda.sh/ScaledObject"; core kinds need not be listed).
/// nullopt means "no cluster": assume every kind the tool can use is served.
using ServedKinds = std::optional<std::set<std::string, std::less<>>>;

inline constexpr std::string_view kLeaderWorkerSetKind = "leaderworkerset.x-k8s.io/LeaderWorkerSet";
inline constexpr std::string_view kJobSetKind = "jobset.x-k8s.io/JobSet";
inline constexpr std::string_view kScaledObjectKind = "keda.sh/ScaledObject";
inline constexpr std::string_view kPodMonitorKind = "monitoring.coreos.com/PodMonitor";

/// serve: Deployment for one node, LeaderWorkerSet for several (an error naming
/// the CRD to install when it is not served). `requested` is --backend.
Result<Backend> ChooseServeBackend(int nodes, const ServedKinds& served, std::optional<Backend> requested);

/// train: JobSet when served, else Indexed Job + headless Service.
Result<Backend> ChooseTrainBackend(const ServedKinds& served, std::optional<Backend> requested);

/// An error naming what to install when `group_kind` is not served, else Ok.
Status RequireServed(const ServedKinds& served, std::string_view group_kind, std::string_view why);

}  // namespace llm

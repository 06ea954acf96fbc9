// Who a pod is within its workload (leader, worker, rank N), read from the
// labels its controller sets, and the `[name role]` prefix of its log lines
// when logs of several pods are multiplexed into one stream.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace llm {

inline constexpr std::string_view kLwsWorkerIndexLabel = "leaderworkerset.sigs.k8s.io/worker-index";
inline constexpr std::string_view kLwsGroupIndexLabel = "leaderworkerset.sigs.k8s.io/group-index";
inline constexpr std::string_view kJobCompletionIndexLabel = "batch.kubernetes.io/job-completion-index";
inline constexpr std::string_view kJobNameLabel = "batch.kubernetes.io/job-name";
inline constexpr std::string_view kJobSetReplicatedJobLabel = "jobset.sigs.k8s.io/replicatedjob-name";

struct PodIdentity {
  std::string display_name;  ///< chat-0, chat-0-1, train-3 (Job pods lose their random suffix)
  std::string role;          ///< "leader", "worker", "rank=3", "trainer rank=3"; "" for a plain replica
};

/// LeaderWorkerSet: worker-index 0 is the leader, others workers (the pod
/// names already carry group and worker index). Indexed Job: `<job>-<index>`
/// with `rank=<index>`. JobSet: as a Job, with the replicated job's name in
/// front of the rank. Anything else: the pod name and no role.
PodIdentity IdentifyPod(const nlohmann::json& pod);

/// "[chat-0 leader]", "[train-3 rank=3]", "[chat-7d9f8-x2kq4]"; with a
/// container: "[chat-0 leader vllm]".
std::string LogPrefix(const nlohmann::json& pod, std::string_view container = "");

}  // namespace llm

#include "render/backend.h"

#include <array>
#include <utility>

#include <fmt/format.h>

namespace llm {
namespace {

constexpr std::array<std::pair<Backend, std::string_view>, 5> kNames = {{
    {Backend::kDeployment, "deployment"},
    {Backend::kLeaderWorkerSet, "leaderworkerset"},
    {Backend::kJobSet, "jobset"},
    {Backend::kIndexedJob, "indexed-job"},
    {Backend::kPod, "pod"},
}};

/// Where each CRD comes from, for the "install ..." hint.
std::string_view InstallHint(std::string_view group_kind) {
  if (group_kind == kLeaderWorkerSetKind) return "LeaderWorkerSet (https://github.com/kubernetes-sigs/lws)";
  if (group_kind == kJobSetKind) return "JobSet (https://github.com/kubernetes-sigs/jobset)";
  if (group_kind == kScaledObjectKind) return "KEDA (https://keda.sh)";
  return group_kind;
}

bool Served(const ServedKinds& served, std::string_view group_kind) { return !served || served->contains(group_kind); }

}  // namespace

std::string_view BackendName(Backend backend) {
  for (const auto& [b, name] : kNames) {
    if (b == backend) return name;
  }
  return "unknown";
}

Result<Backend> ParseBackend(std::string_view name) {
  for (const auto& [b, n] : kNames) {
    if (n == name) return b;
  }
  return Error(ErrorKind::kUsage,
               fmt::format("--backend: unknown backend '{}'; use deployment or leaderworkerset (serve), "
                           "jobset or indexed-job (train)",
                           name));
}

Status RequireServed(const ServedKinds& served, std::string_view group_kind, std::string_view why) {
  if (Served(served, group_kind)) return Ok();
  return Error(ErrorKind::kNotFound, fmt::format("{} needs the {} CRD, which this cluster does not serve; install {}",
                                                 why, group_kind, InstallHint(group_kind)));
}

Result<Backend> ChooseServeBackend(int nodes, const ServedKinds& served, std::optional<Backend> requested) {
  if (requested && *requested != Backend::kDeployment && *requested != Backend::kLeaderWorkerSet) {
    return Error(ErrorKind::kUsage, fmt::format("--backend: serve renders deployment or leaderworkerset, not {}",
                                                BackendName(*requested)));
  }
  const Backend backend = requested.value_or(nodes > 1 ? Backend::kLeaderWorkerSet : Backend::kDeployment);
  if (backend == Backend::kDeployment && nodes > 1) {
    return Error(
        ErrorKind::kUsage,
        fmt::format("--backend deployment runs one node per replica; --nodes {} needs leaderworkerset", nodes));
  }
  if (backend == Backend::kLeaderWorkerSet) {
    LLM_RETURN_IF_ERROR(RequireServed(served, kLeaderWorkerSetKind, "serving on several nodes"));
  }
  return backend;
}

Result<Backend> ChooseTrainBackend(const ServedKinds& served, std::optional<Backend> requested) {
  if (requested && *requested != Backend::kJobSet && *requested != Backend::kIndexedJob) {
    return Error(ErrorKind::kUsage,
                 fmt::format("--backend: train renders jobset or indexed-job, not {}", BackendName(*requested)));
  }
  if (requested == Backend::kJobSet) {
    LLM_RETURN_IF_ERROR(RequireServed(served, kJobSetKind, "--backend jobset"));
    return Backend::kJobSet;
  }
  if (requested == Backend::kIndexedJob) return Backend::kIndexedJob;
  return Served(served, kJobSetKind) ? Backend::kJobSet : Backend::kIndexedJob;
}

}  // namespace llm

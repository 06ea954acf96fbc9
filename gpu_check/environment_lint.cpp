#include "environment_lint.h"

#include <sys/resource.h>
#include <sys/statvfs.h>

#include <fmt/format.h>

#include "env_lookup.h"

namespace llm::gpu_check {
namespace {

std::string MiB(std::uint64_t bytes) { return fmt::format("{} MiB", bytes >> 20); }

bool IsSet(const std::map<std::string, std::string>& env, const std::string& name, const std::string& value) {
  auto it = env.find(name);
  return it != env.end() && it->second == value;
}

}  // namespace

EnvironmentFacts ProbeEnvironment() {
  EnvironmentFacts facts;
  struct statvfs shm {};
  if (statvfs("/dev/shm", &shm) == 0) {
    facts.dev_shm_bytes = static_cast<std::uint64_t>(shm.f_blocks) * shm.f_frsize;
  }
  struct rlimit limit {};
  if (getrlimit(RLIMIT_MEMLOCK, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    facts.memlock_bytes = static_cast<std::uint64_t>(limit.rlim_cur);
  }
  facts.nccl_env = ProcessEnvWithPrefix("NCCL_");
  return facts;
}

std::vector<LintFinding> LintEnvironment(const EnvironmentFacts& facts, int gpu_count, int world_size) {
  std::vector<LintFinding> out;
  const bool uses_nccl_transports = gpu_count > 1 || world_size > 1;
  if (!facts.dev_shm_bytes) {
    out.push_back({"dev_shm", "/dev/shm is not mounted; NCCL needs shared memory", uses_nccl_transports});
  } else if (*facts.dev_shm_bytes < kMinDevShmBytes && uses_nccl_transports) {
    out.push_back({"dev_shm",
                   fmt::format("/dev/shm is {}, NCCL needs at least {}; mount an emptyDir with medium: Memory",
                               MiB(*facts.dev_shm_bytes), MiB(kMinDevShmBytes)),
                   true});
  } else if (*facts.dev_shm_bytes < kRecommendedDevShmBytes) {
    out.push_back({"dev_shm",
                   fmt::format("/dev/shm is {}; {} or more is recommended for multi-process training",
                               MiB(*facts.dev_shm_bytes), MiB(kRecommendedDevShmBytes)),
                   false});
  }
  if (facts.memlock_bytes) {
    // RDMA registers memory and needs an unlimited memlock; pinned CUDA
    // allocations do not, so this only warns.
    out.push_back(
        {"memlock",
         fmt::format("RLIMIT_MEMLOCK is {} bytes; InfiniBand/RoCE transports need it unlimited", *facts.memlock_bytes),
         false});
  }
  const auto& env = facts.nccl_env;
  for (const char* name : {"NCCL_P2P_DISABLE", "NCCL_SHM_DISABLE"}) {
    if (IsSet(env, name, "1")) {
      out.push_back({"nccl_env", fmt::format("{}=1 is set; NVLink/shared-memory paths are not measured", name), false});
    }
  }
  if (IsSet(env, "NCCL_IB_DISABLE", "1") && world_size > 1) {
    out.push_back(
        {"nccl_env", "NCCL_IB_DISABLE=1 is set; the multi-node test measures TCP sockets, not InfiniBand", false});
  }
  if (auto it = env.find("NCCL_ALGO"); it != env.end()) {
    out.push_back({"nccl_env", fmt::format("NCCL_ALGO={} forces the all-reduce algorithm", it->second), false});
  }
  if (env.contains("NCCL_COMM_ID") && world_size == 1) {
    out.push_back(
        {"nccl_env", "NCCL_COMM_ID is set on a single-node run; NCCL still bootstraps through that address", false});
  }
  return out;
}

}  // namespace llm::gpu_check

#include "multi_node.h"

#include <charconv>

#include <fmt/format.h>

namespace llm::gpu_check {
namespace {

Result<int> ParseCount(const std::string& text, const std::string& what) {
  int value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value < 0) {
    return Failure(ExitCode::kUsage, fmt::format("{}: \"{}\" is not a non-negative integer", what, text));
  }
  return value;
}

}  // namespace

Result<MultiNodeConfig> ResolveMultiNode(std::optional<int> world_size_flag, std::optional<int> rank_flag,
                                         const EnvLookup& env) {
  MultiNodeConfig c;
  if (world_size_flag) {
    c.world_size = *world_size_flag;
  } else if (auto v = env(kWorldSizeEnv)) {
    GC_ASSIGN_OR_RETURN(c.world_size, ParseCount(*v, kWorldSizeEnv));
  }
  if (c.world_size < 1) return Failure(ExitCode::kUsage, "--world-size: must be at least 1");
  if (rank_flag) {
    c.rank = *rank_flag;
  } else if (auto v = env("JOB_COMPLETION_INDEX")) {
    GC_ASSIGN_OR_RETURN(c.rank, ParseCount(*v, "JOB_COMPLETION_INDEX"));
  }
  if (c.rank < 0) return Failure(ExitCode::kUsage, "--rank: must be non-negative");
  if (c.world_size == 1) {
    if (c.rank != 0) {
      return Failure(ExitCode::kTopology,
                     fmt::format("rank {} given for a single-node run; set --world-size or {}", c.rank, kWorldSizeEnv));
    }
    return c;
  }
  if (c.rank >= c.world_size) {
    return Failure(ExitCode::kTopology, fmt::format("rank {} is outside a world of {} nodes", c.rank, c.world_size));
  }
  auto comm_id = env("NCCL_COMM_ID");
  if (!comm_id || comm_id->empty()) {
    return Failure(ExitCode::kTopology,
                   "a multi-node run needs NCCL_COMM_ID=<pod-0 host>:<port> (the headless Service name of index 0)");
  }
  const auto colon = comm_id->rfind(':');
  auto port = ParseCount(colon == std::string::npos ? std::string() : comm_id->substr(colon + 1), "port");
  if (colon == std::string::npos || colon == 0 || !port.ok() || *port < 1 || *port > 65535) {
    return Failure(ExitCode::kTopology,
                   fmt::format("NCCL_COMM_ID \"{}\" is not <host>:<port> with a port in 1-65535", *comm_id));
  }
  c.comm_id = *comm_id;
  return c;
}

}  // namespace llm::gpu_check

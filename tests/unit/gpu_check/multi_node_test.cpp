#include "multi_node.h"

#include <doctest/doctest.h>

namespace llm::gpu_check {

TEST_CASE("ResolveMultiNode: single node by default") {
  auto c = ResolveMultiNode(std::nullopt, std::nullopt, MapEnv({}));
  REQUIRE(c.ok());
  CHECK(c->world_size == 1);
  CHECK(c->rank == 0);
  CHECK(c->comm_id.empty());
}

TEST_CASE("ResolveMultiNode: Indexed Job environment") {
  auto c = ResolveMultiNode(std::nullopt, std::nullopt,
                            MapEnv({{"JOB_COMPLETION_INDEX", "3"},
                                    {"LLM_GPU_CHECK_WORLD_SIZE", "4"},
                                    {"NCCL_COMM_ID", "check-0.check-svc:29500"}}));
  REQUIRE(c.ok());
  CHECK(c->world_size == 4);
  CHECK(c->rank == 3);
  CHECK(c->comm_id == "check-0.check-svc:29500");
}

TEST_CASE("ResolveMultiNode: flags win over the environment") {
  auto c = ResolveMultiNode(
      2, 0,
      MapEnv({{"JOB_COMPLETION_INDEX", "3"}, {"LLM_GPU_CHECK_WORLD_SIZE", "4"}, {"NCCL_COMM_ID", "[fd00::1]:29500"}}));
  REQUIRE(c.ok());
  CHECK(c->world_size == 2);
  CHECK(c->rank == 0);
}

TEST_CASE("ResolveMultiNode: errors") {
  struct Case {
    const char* name;
    std::optional<int> world, rank;
    std::map<std::string, std::string> env;
    ExitCode code;
    const char* message;
  };
  const Case cases[] = {
      {"no NCCL_COMM_ID",
       2,
       0,
       {},
       ExitCode::kTopology,
       "a multi-node run needs NCCL_COMM_ID=<pod-0 host>:<port> (the headless Service name of index 0)"},
      {"no port",
       2,
       0,
       {{"NCCL_COMM_ID", "check-0"}},
       ExitCode::kTopology,
       "NCCL_COMM_ID \"check-0\" is not <host>:<port> with a port in 1-65535"},
      {"bad port",
       2,
       0,
       {{"NCCL_COMM_ID", "check-0:99999"}},
       ExitCode::kTopology,
       "NCCL_COMM_ID \"check-0:99999\" is not <host>:<port> with a port in 1-65535"},
      {"rank outside", 2, 2, {{"NCCL_COMM_ID", "h:1"}}, ExitCode::kTopology, "rank 2 is outside a world of 2 nodes"},
      {"rank without world",
       std::nullopt,
       std::nullopt,
       {{"JOB_COMPLETION_INDEX", "1"}},
       ExitCode::kTopology,
       "rank 1 given for a single-node run; set --world-size or LLM_GPU_CHECK_WORLD_SIZE"},
      {"bad env",
       std::nullopt,
       std::nullopt,
       {{"LLM_GPU_CHECK_WORLD_SIZE", "two"}},
       ExitCode::kUsage,
       "LLM_GPU_CHECK_WORLD_SIZE: \"two\" is not a non-negative integer"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    auto r = ResolveMultiNode(c.world, c.rank, MapEnv(c.env));
    REQUIRE_FALSE(r.ok());
    CHECK(r.failure().code() == c.code);
    CHECK(r.failure().message() == c.message);
  }
}

}  // namespace llm::gpu_check

#include "workload/rendezvous_rounds.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

// As torch.distributed.elastic.agent.server.api logs it (torch 2.x), with the
// training script's own lines around it.
constexpr const char* kLog =
    "INFO:torch.distributed.launcher.api:Starting elastic_operator with launch configs:\n"
    "  min_nodes        : 2\n"
    "  max_nodes        : 4\n"
    "INFO:torch.distributed.elastic.agent.server.api:[default] Rendezvous complete for workers. Result:\n"
    "  restart_count=0\n"
    "  master_addr=t-0.t\n"
    "  master_port=44917\n"
    "  group_rank=0\n"
    "  group_world_size=3\n"
    "  local_ranks=[0, 1, 2, 3, 4, 5, 6, 7]\n"
    "  role_ranks=[0, 1, 2, 3, 4, 5, 6, 7]\n"
    "  global_ranks=[0, 1, 2, 3, 4, 5, 6, 7]\n"
    "  role_world_sizes=[24, 24, 24, 24, 24, 24, 24, 24]\n"
    "  global_world_sizes=[24, 24, 24, 24, 24, 24, 24, 24]\n"
    "\n"
    "step 100 loss 2.31\n"
    "[W socket.cpp:464] [c10d] The server socket has failed to listen\n"
    "[2026-01-01 10:00:00,000] torch.distributed.elastic.agent.server.api: [INFO] [default] Rendezvous complete "
    "for workers. Result:\r\n"
    "  restart_count=1\r\n"
    "  master_addr=t-0.t\r\n"
    "  master_port=44917\r\n"
    "  group_rank=0\r\n"
    "  group_world_size=4\r\n"
    "  local_ranks=[0]\r\n";

TEST_CASE("ParseRendezvousRounds reads each result block's restart count and world size") {
  const std::vector<RendezvousRound> rounds = ParseRendezvousRounds(kLog);
  REQUIRE(rounds.size() == 2);
  CHECK(rounds[0].restart_count == 0);
  CHECK(rounds[0].group_world_size == 3);
  CHECK(rounds[1].restart_count == 1);
  CHECK(rounds[1].group_world_size == 4);
  CHECK(rounds[1].group_rank == 0);
  CHECK(DescribeRendezvousRound(rounds[1], 3) == "rendezvous round: 4 nodes (restart 1 of at most 3)");
  CHECK(DescribeRendezvousRound({0, 1, 0}, 3) == "rendezvous round: 1 node (restart 0 of at most 3)");
}

TEST_CASE("ParseRendezvousRounds leaves out a block cut off before its world size, and other text") {
  CHECK(ParseRendezvousRounds("").empty());
  CHECK(
      ParseRendezvousRounds("step 1 loss 3.0\nRendezvous complete for workers. Result:\n  restart_count=0\n").empty());
  // The next block starts before the first one gave its world size.
  const auto rounds = ParseRendezvousRounds(
      "Rendezvous complete for workers. Result:\n  restart_count=0\n"
      "Rendezvous complete for workers. Result:\n  restart_count=2\n  group_world_size=2\n");
  REQUIRE(rounds.size() == 1);
  CHECK(rounds[0].restart_count == 2);
  // A value that is not a number is not taken.
  CHECK(ParseRendezvousRounds("Rendezvous complete for workers. Result:\n  restart_count=x\n  group_world_size=2\n")
            .empty());
}

}  // namespace
}  // namespace llm

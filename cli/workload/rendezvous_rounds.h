// torchrun's rendezvous rounds, read from an agent's log: each round its
// elastic agent completes (the first one, and one per membership change: a
// scale, a lost or added node) logs "Rendezvous complete for workers. Result:"
// with the restart count and the number of nodes in the round
// (torch.distributed.elastic.agent.server.api, torch >= 1.9). `scale --nodes
// --wait` shows each new round from index 0's log.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace llm {

struct RendezvousRound {
  int64_t restart_count = 0;     ///< restarts the agent has used (counted against --max-restarts)
  int64_t group_world_size = 0;  ///< nodes (agents) in the round
  int64_t group_rank = 0;        ///< this agent's node rank in the round
};

/// Every complete result block in `log`, in order; a block cut off before its
/// group_world_size line is left out.
std::vector<RendezvousRound> ParseRendezvousRounds(std::string_view log);

/// "rendezvous round: 4 nodes (restart 1 of at most 3)".
std::string DescribeRendezvousRound(const RendezvousRound& round, int64_t max_restarts);

}  // namespace llm

#include "workload/rendezvous_rounds.h"

#include <charconv>
#include <optional>

#include <fmt/format.h>

namespace llm {
namespace {

constexpr std::string_view kHeader = "Rendezvous complete for workers. Result:";
/// The result's lines after the header: ten key=value lines today; a few more
/// are read so a future key does not cut the block short.
constexpr int kMaxResultLines = 16;

std::optional<int64_t> ValueOf(std::string_view line, std::string_view key) {
  const size_t start = line.find_first_not_of(" \t");
  if (start == std::string_view::npos) return std::nullopt;
  line.remove_prefix(start);
  if (line.substr(0, key.size()) != key || line.size() <= key.size() || line[key.size()] != '=') return std::nullopt;
  line.remove_prefix(key.size() + 1);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), value);
  if (ec != std::errc() || end != line.data() + line.size()) return std::nullopt;
  return value;
}

}  // namespace

std::vector<RendezvousRound> ParseRendezvousRounds(std::string_view log) {
  std::vector<std::string_view> lines;
  for (size_t start = 0; start < log.size();) {
    size_t end = log.find('\n', start);
    if (end == std::string_view::npos) end = log.size();
    lines.push_back(log.substr(start, end - start));
    start = end + 1;
  }
  std::vector<RendezvousRound> rounds;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find(kHeader) == std::string_view::npos) continue;
    RendezvousRound round;
    bool restart = false, world = false;
    for (size_t j = i + 1; j < lines.size() && j <= i + kMaxResultLines; ++j) {
      if (lines[j].find(kHeader) != std::string_view::npos) break;  // the next block
      if (auto v = ValueOf(lines[j], "restart_count")) {
        round.restart_count = *v;
        restart = true;
      }
      if (auto v = ValueOf(lines[j], "group_rank")) round.group_rank = *v;
      if (auto v = ValueOf(lines[j], "group_world_size")) {
        round.group_world_size = *v;
        world = true;
        break;  // the keys the display needs come first
      }
    }
    if (restart && world) rounds.push_back(round);
  }
  return rounds;
}

std::string DescribeRendezvousRound(const RendezvousRound& round, int64_t max_restarts) {
  return fmt::format("rendezvous round: {} {} (restart {} of at most {})", round.group_world_size,
                     round.group_world_size == 1 ? "node" : "nodes", round.restart_count, max_restarts);
}

}  // namespace llm

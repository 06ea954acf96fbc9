#include "p2p_heatmap.h"

#include <algorithm>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "metrics.h"
#include "statistics.h"

namespace llm::gpu_check {
namespace {

constexpr int kCellWidth = 8;

// 256-colour backgrounds with black text: readable on dark and light terminals.
constexpr const char* kGood = "\x1b[30;48;5;114m";
constexpr const char* kFair = "\x1b[30;48;5;221m";
constexpr const char* kBad = "\x1b[30;48;5;203m";
constexpr const char* kReset = "\x1b[0m";

struct Cell {
  double median = 0;
  std::optional<double> floor;
};

}  // namespace

ColorMode ChooseColorMode(bool is_terminal, const EnvLookup& env) {
  // no-color.org: NO_COLOR present and not empty, whatever its value.
  if (!is_terminal || !env("NO_COLOR").value_or("").empty()) return ColorMode::kPlain;
  if (env("TERM").value_or("") == "dumb") return ColorMode::kPlain;
  return ColorMode::kAnsi;
}

std::string FormatP2pHeatmap(const TestResult& test, int gpu_count, ColorMode mode, double outlier_ratio) {
  const auto n = static_cast<std::size_t>(std::max(gpu_count, 0));
  std::vector<std::vector<std::optional<Cell>>> cells(n, std::vector<std::optional<Cell>>(n));
  double best = 0;
  bool any = false;
  for (const Series& s : test.series) {
    if (s.metric != kMetricP2pUnidir || s.gpu < 0 || s.peer < 0 || s.samples.empty()) continue;
    if (static_cast<std::size_t>(s.gpu) >= n || static_cast<std::size_t>(s.peer) >= n) continue;
    const double median = Median(s.samples);
    cells[static_cast<std::size_t>(s.gpu)][static_cast<std::size_t>(s.peer)] = Cell{median, s.floor};
    best = std::max(best, median);
    any = true;
  }
  if (!any) return "";
  std::string out = "p2p_unidir GB/s (row: from GPU, column: to GPU)\n";
  out += fmt::format("{:>5}", "");
  for (std::size_t j = 0; j < n; ++j) out += fmt::format("{:>{}}", fmt::format("gpu{}", j), kCellWidth);
  out += "\n";
  for (std::size_t i = 0; i < n; ++i) {
    out += fmt::format("{:>5}", fmt::format("gpu{}", i));
    for (std::size_t j = 0; j < n; ++j) {
      if (i == j) {
        out += fmt::format("{:>{}}", "-", kCellWidth);
        continue;
      }
      const std::optional<Cell>& c = cells[i][j];
      if (!c) {
        out += fmt::format("{:>{}}", "n/a", kCellWidth);
        continue;
      }
      const std::string text = fmt::format("{:>{}.1f}", c->median, kCellWidth);
      if (mode == ColorMode::kPlain) {
        out += text;
        continue;
      }
      const double fraction = best > 0 ? c->median / best : 0;
      const bool below_floor = c->floor && c->median < *c->floor;
      const char* colour = below_floor || fraction < outlier_ratio ? kBad : fraction < 0.95 ? kFair : kGood;
      out += std::string(colour) + text + kReset;
    }
    out += "\n";
  }
  if (mode == ColorMode::kAnsi) {
    out += fmt::format("{} >= 95% {} {} >= {:.0f}% {} {} below, or below the floor {}  of the best pair, {:.1f} GB/s\n",
                       kGood, kReset, kFair, outlier_ratio * 100, kReset, kBad, kReset, best);
  } else {
    out +=
        fmt::format("best pair {:.1f} GB/s; pairs below {:.0f}% of it fail as outliers\n", best, outlier_ratio * 100);
  }
  return out;
}

}  // namespace llm::gpu_check

#include "workload/unified_diff.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

namespace llm {
namespace {

// Lines keep their "\n" so that a last line without one differs from the same
// line with one, as in GNU diff.
std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t newline = text.find('\n', start);
    size_t end = newline == std::string_view::npos ? text.size() : newline + 1;
    lines.push_back(text.substr(start, end - start));
    start = end;
  }
  return lines;
}

enum class Op { kEqual, kDelete, kInsert };
struct Edit {
  Op op;
  size_t a;  // index in `from` (kEqual, kDelete)
  size_t b;  // index in `to` (kEqual, kInsert)
};

// Myers' greedy shortest edit script, with the V arrays of each step kept
// (trimmed to the diagonals reachable at that step) for the backtrack.
std::vector<Edit> ShortestEditScript(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  const long n = static_cast<long>(a.size());
  const long m = static_cast<long>(b.size());
  const long max = n + m;
  std::vector<long> v(static_cast<size_t>(2 * max + 3), 0);
  auto at = [&](long k) -> long& { return v[static_cast<size_t>(k + max + 1)]; };
  std::vector<std::vector<long>> trace;  // trace[d][k + d] = V[k] before step d
  long final_d = 0;
  for (long d = 0; d <= max; ++d) {
    std::vector<long> snapshot;
    for (long k = -d; k <= d; ++k) snapshot.push_back(at(k));
    trace.push_back(std::move(snapshot));
    bool done = false;
    for (long k = -d; k <= d; k += 2) {
      long x = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? at(k + 1) : at(k - 1) + 1;
      long y = x - k;
      while (x < n && y < m && a[static_cast<size_t>(x)] == b[static_cast<size_t>(y)]) {
        ++x;
        ++y;
      }
      at(k) = x;
      if (x >= n && y >= m) {
        done = true;
        break;
      }
    }
    if (done) {
      final_d = d;
      break;
    }
  }
  std::vector<Edit> edits;
  long x = n, y = m;
  for (long d = final_d; d >= 0; --d) {
    const std::vector<long>& snap = trace[static_cast<size_t>(d)];
    auto prev = [&](long k) { return snap[static_cast<size_t>(k + d)]; };
    long k = x - y;
    long prev_k = (k == -d || (k != d && prev(k - 1) < prev(k + 1))) ? k + 1 : k - 1;
    long prev_x = d == 0 ? 0 : prev(prev_k);
    long prev_y = prev_x - prev_k;
    if (d == 0) prev_y = 0;
    while (x > prev_x && y > prev_y) {
      --x;
      --y;
      edits.push_back({Op::kEqual, static_cast<size_t>(x), static_cast<size_t>(y)});
    }
    if (d > 0) {
      if (x == prev_x) {
        edits.push_back({Op::kInsert, static_cast<size_t>(x), static_cast<size_t>(y - 1)});
      } else {
        edits.push_back({Op::kDelete, static_cast<size_t>(x - 1), static_cast<size_t>(y)});
      }
    }
    x = prev_x;
    y = prev_y;
  }
  std::reverse(edits.begin(), edits.end());
  // GNU diff prints a change block's deletions before its insertions.
  for (size_t i = 0; i < edits.size();) {
    if (edits[i].op == Op::kEqual) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < edits.size() && edits[j].op != Op::kEqual) ++j;
    std::stable_partition(edits.begin() + static_cast<long>(i), edits.begin() + static_cast<long>(j),
                          [](const Edit& e) { return e.op == Op::kDelete; });
    i = j;
  }
  return edits;
}

std::string Range(size_t start, size_t count) {
  if (count == 0) return fmt::format("{},0", start);  // the line before the empty range
  if (count == 1) return fmt::format("{}", start + 1);
  return fmt::format("{},{}", start + 1, count);
}

void AppendLine(std::string& out, char mark, std::string_view line) {
  out += mark;
  out += line;
  if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
}

}  // namespace

std::string UnifiedDiff(std::string_view from, std::string_view to, std::string_view from_label,
                        std::string_view to_label, int context) {
  if (from == to) return "";
  const std::vector<std::string_view> a = SplitLines(from);
  const std::vector<std::string_view> b = SplitLines(to);
  const std::vector<Edit> edits = ShortestEditScript(a, b);
  const size_t ctx = static_cast<size_t>(std::max(context, 0));

  std::string out = fmt::format("--- {}\n+++ {}\n", from_label, to_label);
  size_t i = 0;
  while (i < edits.size()) {
    while (i < edits.size() && edits[i].op == Op::kEqual) ++i;
    if (i == edits.size()) break;
    // [first, last) spans changes whose gaps of equal lines are <= 2*context.
    size_t first = i >= ctx ? i - ctx : 0;
    size_t last = i;
    while (true) {
      while (last < edits.size() && edits[last].op != Op::kEqual) ++last;
      size_t gap_end = last;
      while (gap_end < edits.size() && edits[gap_end].op == Op::kEqual) ++gap_end;
      if (gap_end < edits.size() && gap_end - last <= 2 * ctx) {
        last = gap_end;
        continue;
      }
      last = std::min(edits.size(), last + ctx);
      break;
    }
    size_t a_start = a.size(), b_start = b.size(), a_count = 0, b_count = 0;
    // The hunk's starting line on each side: its first edit's position.
    for (size_t e = first; e < last; ++e) {
      const Edit& edit = edits[e];
      if (edit.op != Op::kInsert) {
        a_start = std::min(a_start, edit.a);
        ++a_count;
      }
      if (edit.op != Op::kDelete) {
        b_start = std::min(b_start, edit.b);
        ++b_count;
      }
    }
    // A side with no lines in the hunk starts where the edit script stands.
    if (a_count == 0) a_start = edits[first].a;
    if (b_count == 0) b_start = edits[first].b;
    out += fmt::format("@@ -{} +{} @@\n", Range(a_start, a_count), Range(b_start, b_count));
    for (size_t e = first; e < last; ++e) {
      const Edit& edit = edits[e];
      switch (edit.op) {
        case Op::kEqual:
          AppendLine(out, ' ', a[edit.a]);
          break;
        case Op::kDelete:
          AppendLine(out, '-', a[edit.a]);
          break;
        case Op::kInsert:
          AppendLine(out, '+', b[edit.b]);
          break;
      }
    }
    i = last;
  }
  return out;
}

}  // namespace llm

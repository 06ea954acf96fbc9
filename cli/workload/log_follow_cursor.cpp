#include "workload/log_follow_cursor.h"

namespace llm {

std::string LogFollowCursor::Feed(std::string_view chunk) {
  std::string out;
  while (!chunk.empty()) {
    const std::size_t newline = chunk.find('\n');
    if (newline == std::string_view::npos) {
      partial_.append(chunk);
      if (partial_.size() > kMaxHeldBytes) {
        out += partial_;  // no line to dedupe: pass it on rather than hold it without bound
        partial_.clear();
      }
      break;
    }
    partial_.append(chunk.substr(0, newline));
    chunk.remove_prefix(newline + 1);
    out += Line(partial_);
    partial_.clear();
  }
  return out;
}

std::string LogFollowCursor::Line(std::string_view line) {
  const std::size_t space = line.find(' ');
  std::optional<TimePoint> stamp;
  if (space != std::string_view::npos) stamp = ParseRfc3339Exact(line.substr(0, space));
  if (!stamp) return std::string(line) + "\n";  // not a timestamped line: nothing to place it by
  if (resumed_ && last_) {
    if (*stamp < *last_) return "";
    if (*stamp == *last_ && skip_at_last_ > 0) {
      --skip_at_last_;
      return "";
    }
  }
  if (last_ && *stamp == *last_) {
    ++at_last_;
  } else if (last_ && *stamp < *last_) {
    // Out of order (a clock stepped back): printed, but the cursor never moves back.
  } else {
    last_ = stamp;
    at_last_ = 1;
    resumed_ = false;
  }
  return std::string(keep_timestamps_ ? line : line.substr(space + 1)) + "\n";
}

std::string LogFollowCursor::Finish() {
  if (partial_.empty()) return "";
  std::string line = Line(partial_);
  partial_.clear();
  return line;
}

void LogFollowCursor::Resume() {
  partial_.clear();
  resumed_ = true;
  skip_at_last_ = at_last_;
}

std::optional<std::string> LogFollowCursor::ResumeSince() const {
  if (!last_) return std::nullopt;
  return FormatRfc3339(std::chrono::floor<std::chrono::seconds>(*last_));
}

}  // namespace llm

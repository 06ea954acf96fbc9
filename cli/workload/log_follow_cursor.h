// LogFollowCursor: where a followed log stream stands, so that `logs -f` can
// open it again after its connection drops (an API server restart, a VPN
// blip) without printing a line twice or losing one. The stream is asked
// for with timestamps=true; each line's RFC 3339 timestamp is taken off here
// and remembered, with how many lines carried it. The resumed request asks
// for sinceTime (whole seconds, as the API takes it), and the lines of that
// second already printed are dropped. This is what kubectl logs -f lacks and
// stern does.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "util/rfc3339.h"

namespace llm {

class LogFollowCursor {
 public:
  /// `keep_timestamps`: lines are returned with their timestamps (logs --timestamps).
  explicit LogFollowCursor(bool keep_timestamps = false) : keep_timestamps_(keep_timestamps) {}

  /// A line longer than this without a newline is passed on as it is.
  static constexpr std::size_t kMaxHeldBytes = 1024 * 1024;

  /// Takes a chunk of a timestamps=true stream; returns the complete lines in
  /// it not printed before, timestamps removed (unless kept), each ending in '\n'.
  std::string Feed(std::string_view chunk);

  /// The stream ended: its unterminated last line, as a line ("" when none).
  std::string Finish();

  /// The stream broke: the next chunks come from a stream resumed at
  /// ResumeSince(). An unfinished line is dropped (it comes again whole).
  void Resume();

  /// The sinceTime of the resumed request: the last line's second
  /// ("2026-12-05T01:02:03Z"); nullopt before any line (then the first
  /// request is repeated).
  std::optional<std::string> ResumeSince() const;

 private:
  std::string Line(std::string_view line);

  std::string partial_;
  std::optional<TimePoint> last_;  ///< timestamp of the last line printed
  std::size_t at_last_ = 0;        ///< lines printed with that timestamp
  std::size_t skip_at_last_ = 0;   ///< after Resume: lines with that timestamp still to drop
  bool resumed_ = false;           ///< after Resume, until a newer line came
  bool keep_timestamps_ = false;
};

}  // namespace llm

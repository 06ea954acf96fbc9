// SseParser: cuts a text/event-stream body (Server-Sent Events, as the
// OpenAI-compatible servers stream completions: `data: {...}` blocks ended by
// a blank line, `data: [DONE]` last) into events as the bytes arrive. Chunks
// are not events: one may end mid-line or carry several events.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace llm {

struct SseEvent {
  std::string event;  ///< the `event:` field, "" for the default "message"
  std::string data;   ///< the `data:` lines joined by "\n"
};

class SseParser {
 public:
  /// Return false to stop reading.
  using EventSink = std::function<bool(const SseEvent& event)>;

  /// Appends `chunk` and hands each event it completes to `sink`, in order;
  /// false when `sink` asked to stop.
  bool Feed(std::string_view chunk, const EventSink& sink);
  /// Ends the stream: a last event not followed by a blank line is still
  /// dispatched (servers that close right after the last data line).
  bool Finish(const EventSink& sink);

 private:
  bool Line(std::string_view line, const EventSink& sink);
  bool Dispatch(const EventSink& sink);

  std::string pending_;   ///< bytes after the last complete line
  bool skip_lf_ = false;  ///< the last chunk ended in CR: a following LF belongs to it
  SseEvent current_;
  bool has_data_ = false;
};

}  // namespace llm

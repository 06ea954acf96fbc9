// Merges chunked log streams of several pods into whole, prefixed lines.
// A chunk from the API server's follow stream can end anywhere, even inside a
// UTF-8 sequence; lines are only emitted once complete, so lines of two pods
// never interleave within one output line.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace llm {

class LogLineMerger {
 public:
  /// A line longer than this is emitted in pieces, so one pod writing without
  /// newlines cannot grow memory without bound.
  static constexpr size_t kMaxLineBytes = 64 * 1024;

  /// Registers a stream; `prefix` ("[chat-0 leader]") goes before each of its lines.
  void AddStream(const std::string& stream, std::string prefix);

  /// Appends a chunk of `stream` and returns its lines completed by it, each
  /// as "<prefix> <line>" without the newline ("\r\n" endings lose the "\r").
  /// A stream never added has no prefix.
  std::vector<std::string> Feed(const std::string& stream, std::string_view chunk);

  /// The stream ended: its unterminated last line, if any, as a final line.
  std::vector<std::string> Close(const std::string& stream);

  /// Closes every open stream, in stream-name order.
  std::vector<std::string> CloseAll();

 private:
  struct Stream {
    std::string prefix;
    std::string partial;
  };
  std::string Prefixed(const Stream& stream, std::string_view line) const;
  std::map<std::string, Stream> streams_;
};

}  // namespace llm

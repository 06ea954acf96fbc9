#include "util/sse_parser.h"

namespace llm {

bool SseParser::Feed(std::string_view chunk, const EventSink& sink) {
  for (char c : chunk) {
    if (skip_lf_) {
      skip_lf_ = false;
      if (c == '\n') continue;
    }
    if (c == '\r' || c == '\n') {
      skip_lf_ = c == '\r';
      const std::string line = std::move(pending_);
      pending_.clear();
      if (!Line(line, sink)) return false;
      continue;
    }
    pending_ += c;
  }
  return true;
}

bool SseParser::Finish(const EventSink& sink) {
  if (!pending_.empty()) {
    const std::string line = std::move(pending_);
    pending_.clear();
    if (!Line(line, sink)) return false;
  }
  return Dispatch(sink);
}

bool SseParser::Line(std::string_view line, const EventSink& sink) {
  if (line.empty()) return Dispatch(sink);
  if (line.front() == ':') return true;  // a comment (keep-alive)
  const size_t colon = line.find(':');
  const std::string_view field = line.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (field == "data") {
    if (has_data_) current_.data += '\n';
    current_.data += value;
    has_data_ = true;
  } else if (field == "event") {
    current_.event = std::string(value);
  }  // id and retry do not matter to a single request
  return true;
}

bool SseParser::Dispatch(const EventSink& sink) {
  if (!has_data_) {
    current_ = SseEvent{};
    return true;
  }
  SseEvent event = std::move(current_);
  current_ = SseEvent{};
  has_data_ = false;
  return sink(event);
}

}  // namespace llm

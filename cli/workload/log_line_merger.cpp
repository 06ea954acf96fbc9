#include "workload/log_line_merger.h"

namespace llm {

void LogLineMerger::AddStream(const std::string& stream, std::string prefix) {
  streams_[stream].prefix = std::move(prefix);
}

std::string LogLineMerger::Prefixed(const Stream& stream, std::string_view line) const {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::string text;
  text.reserve(stream.prefix.size() + 1 + line.size());
  if (!stream.prefix.empty()) {
    text += stream.prefix;
    text += ' ';
  }
  text += line;
  return text;
}

std::vector<std::string> LogLineMerger::Feed(const std::string& stream, std::string_view chunk) {
  Stream& s = streams_[stream];
  std::vector<std::string> lines;
  while (!chunk.empty()) {
    size_t newline = chunk.find('\n');
    if (newline == std::string_view::npos) {
      s.partial.append(chunk);
      chunk = {};
    } else {
      s.partial.append(chunk.substr(0, newline));
      chunk.remove_prefix(newline + 1);
      lines.push_back(Prefixed(s, s.partial));
      s.partial.clear();
    }
    while (s.partial.size() > kMaxLineBytes) {
      // Cut at a UTF-8 boundary so a multi-byte character is not split.
      size_t cut = kMaxLineBytes;
      while (cut > 0 && (static_cast<unsigned char>(s.partial[cut]) & 0xC0) == 0x80) --cut;
      lines.push_back(Prefixed(s, std::string_view(s.partial).substr(0, cut)));
      s.partial.erase(0, cut);
    }
  }
  return lines;
}

std::vector<std::string> LogLineMerger::Close(const std::string& stream) {
  std::vector<std::string> lines;
  auto it = streams_.find(stream);
  if (it == streams_.end()) return lines;
  if (!it->second.partial.empty()) lines.push_back(Prefixed(it->second, it->second.partial));
  streams_.erase(it);
  return lines;
}

std::vector<std::string> LogLineMerger::CloseAll() {
  std::vector<std::string> lines;
  for (const auto& [name, stream] : streams_) {
    if (!stream.partial.empty()) lines.push_back(Prefixed(stream, stream.partial));
  }
  streams_.clear();
  return lines;
}

}  // namespace llm

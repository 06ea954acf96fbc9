#include "kube/watch_framer.h"

namespace llm::kube {

Status WatchFramer::Feed(std::string_view chunk, const DocumentSink& sink) {
  for (char c : chunk) {
    if (buffer_.empty()) {
      // Between documents only whitespace is allowed.
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
      if (c != '{') {
        return Error(ErrorKind::kServer,
                     std::string("malformed watch stream: unexpected byte '") + c + "' between events");
      }
    }
    buffer_ += c;
    // Every byte of a multi-byte UTF-8 sequence is >= 0x80, so none of them can be
    // mistaken for a quote, a backslash or a brace.
    if (in_string_) {
      if (escaped_)
        escaped_ = false;
      else if (c == '\\')
        escaped_ = true;
      else if (c == '"')
        in_string_ = false;
      continue;
    }
    if (c == '"') {
      in_string_ = true;
    } else if (c == '{' || c == '[') {
      open_ += c;
    } else if (c == '}' || c == ']') {
      if (open_.back() != (c == '}' ? '{' : '[')) {
        return Error(ErrorKind::kServer,
                     std::string("malformed watch stream: '") + c + "' closes '" + open_.back() + "' in an event");
      }
      open_.pop_back();
    }
    if (open_.empty()) {
      std::string document;
      document.swap(buffer_);
      LLM_RETURN_IF_ERROR(sink(document));
    }
  }
  return Ok();
}

}  // namespace llm::kube

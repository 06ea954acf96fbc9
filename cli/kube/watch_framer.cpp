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
    if (c == '"')
      in_string_ = true;
    else if (c == '{' || c == '[')
      ++depth_;
    else if (c == '}' || c == ']')
      --depth_;
    if (depth_ == 0) {
      std::string document;
      document.swap(buffer_);
      LLM_RETURN_IF_ERROR(sink(document));
    }
  }
  return Ok();
}

}  // namespace llm::kube

// WatchFramer: cuts a watch response body into JSON documents as it arrives.
// Transport chunks are not events: a chunk may end anywhere (inside a string,
// inside a UTF-8 sequence) and may carry several events. The server writes one
// JSON object per line; the framer tracks object nesting instead of relying on
// the newline, so it also accepts objects that are merely concatenated.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "util/result.h"

namespace llm::kube {

class WatchFramer {
 public:
  using DocumentSink = std::function<Status(std::string_view document)>;

  /// Appends `chunk` and hands every document it completes to `sink`, in order.
  /// Stops at the first error from `sink`, or on bytes that cannot start a JSON object.
  Status Feed(std::string_view chunk, const DocumentSink& sink);
  /// True while a document has started but not ended (the stream was cut short).
  bool HasPartial() const { return !buffer_.empty(); }

 private:
  std::string buffer_;  ///< the unfinished document, from its opening brace
  /// The brackets open at this point, innermost last: a closer must match the
  /// innermost one, so `{]` is refused instead of handed out as a document.
  std::string open_;
  bool in_string_ = false;
  bool escaped_ = false;
};

}  // namespace llm::kube

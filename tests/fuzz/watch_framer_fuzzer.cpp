// The watch stream framer. The first byte seeds how the stream is cut into
// transport chunks; the rest is the stream. Whatever the cuts, the framer
// hands out the same documents in the same order (chunks are not events), and
// stops at the same error.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "kube/watch_framer.h"

namespace {

struct Framed {
  std::vector<std::string> documents;
  bool failed = false;
  bool partial = false;
};

Framed Frame(std::string_view stream, unsigned seed) {
  Framed out;
  llm::kube::WatchFramer framer;
  auto sink = [&](std::string_view document) -> llm::Status {
    out.documents.emplace_back(document);
    return {};
  };
  size_t at = 0;
  unsigned state = seed;
  while (at < stream.size()) {
    size_t length = seed == 0 ? stream.size() : 1 + (state % 7);
    state = state * 1103515245u + 12345u;
    llm::Status fed = framer.Feed(stream.substr(at, length), sink);
    at += length;
    if (!fed.ok()) {
      out.failed = true;
      return out;
    }
  }
  out.partial = framer.HasPartial();
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view stream = llm::fuzz::Text(data + 1, size - 1);
  Framed whole = Frame(stream, 0);
  Framed pieces = Frame(stream, data[0] | 1u);
  FUZZ_CHECK(whole.failed == pieces.failed, "chunking changed whether the stream is refused");
  if (!whole.failed) {
    FUZZ_CHECK(whole.documents == pieces.documents, "chunking changed the documents");
    FUZZ_CHECK(whole.partial == pieces.partial, "chunking changed whether a document is left open");
  }
  for (const std::string& document : whole.documents) {
    FUZZ_CHECK(!document.empty() && document.front() == '{' && document.back() == '}',
               "a document that is not one braced object");
  }
  return 0;
}

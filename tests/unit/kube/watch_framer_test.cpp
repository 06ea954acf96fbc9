#include "kube/watch_framer.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace llm::kube {
namespace {

// Three events as the API server writes them, with what trips naive framers:
// braces and escaped quotes inside strings, multi-byte UTF-8 (3 and 4 bytes).
const std::vector<std::string> kEvents = {
    R"({"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"1"},"data":{"k":"{not a brace}"}}})",
    R"({"type":"MODIFIED","object":{"metadata":{"name":"b","annotations":{"note":"say \"}\" — 模型 🚀"}},"list":[{"x":[1,2]}]}})",
    R"({"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"12345"}}})",
};

std::string Stream() {
  std::string stream;
  for (const std::string& event : kEvents) stream += event + "\n";
  return stream;
}

std::vector<std::string> FeedAll(const std::vector<std::string_view>& chunks) {
  WatchFramer framer;
  std::vector<std::string> documents;
  for (std::string_view chunk : chunks) {
    Status fed = framer.Feed(chunk, [&](std::string_view document) -> Status {
      documents.emplace_back(document);
      return Ok();
    });
    REQUIRE(fed.ok());
  }
  CHECK_FALSE(framer.HasPartial());
  return documents;
}

TEST_CASE("watch framing: one chunk with several events") { CHECK(FeedAll({Stream()}) == kEvents); }

TEST_CASE("watch framing: split at every byte position, UTF-8 sequences included") {
  const std::string stream = Stream();
  for (size_t cut = 0; cut <= stream.size(); ++cut) {
    CAPTURE(cut);
    std::string_view all(stream);
    CHECK(FeedAll({all.substr(0, cut), all.substr(cut)}) == kEvents);
  }
}

TEST_CASE("watch framing: one byte at a time, and every pair of cuts over the second event") {
  const std::string stream = Stream();
  std::vector<std::string_view> bytes;
  for (size_t i = 0; i < stream.size(); ++i) bytes.push_back(std::string_view(stream).substr(i, 1));
  CHECK(FeedAll(bytes) == kEvents);
  const size_t begin = kEvents[0].size(), end = begin + kEvents[1].size() + 2;
  for (size_t first = begin; first < end; first += 3) {
    for (size_t second = first; second < end; second += 5) {
      std::string_view all(stream);
      CHECK(FeedAll({all.substr(0, first), all.substr(first, second - first), all.substr(second)}) == kEvents);
    }
  }
}

TEST_CASE("watch framing: every document parses as JSON with its UTF-8 intact") {
  auto documents = FeedAll({Stream()});
  auto parsed = nlohmann::json::parse(documents[1]);
  CHECK(parsed["object"]["metadata"]["annotations"]["note"] == "say \"}\" — 模型 🚀");
}

TEST_CASE("watch framing: a cut stream leaves a partial document, garbage is an error") {
  WatchFramer framer;
  int count = 0;
  auto sink = [&](std::string_view) -> Status {
    ++count;
    return Ok();
  };
  REQUIRE(framer.Feed(kEvents[0] + "\n" + kEvents[1].substr(0, 20), sink).ok());
  CHECK(count == 1);
  CHECK(framer.HasPartial());
  WatchFramer bad;
  Status status = bad.Feed("<html>502 Bad Gateway</html>", sink);
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().message().find("malformed watch stream") == 0);
}

// Found by tests/fuzz/watch_framer_fuzzer.cpp (corpus/watch_framer/finding-mismatched-bracket):
// counting brackets alone handed out "{]" as a document.
TEST_CASE("watch framing: a bracket that closes the wrong opener is an error, not the end of a document") {
  for (std::string_view stream : {"{]}", "{\"a\":[}]}", "{\"a\":[1}"}) {
    CAPTURE(stream);
    WatchFramer framer;
    std::vector<std::string> documents;
    Status status = framer.Feed(stream, [&](std::string_view document) -> Status {
      documents.emplace_back(document);
      return Ok();
    });
    REQUIRE_FALSE(status.ok());
    CHECK(status.error().message().find("malformed watch stream") == 0);
    CHECK(documents.empty());
  }
}

TEST_CASE("watch framing: an error from the sink stops the feed") {
  WatchFramer framer;
  int count = 0;
  Status status = framer.Feed(Stream(), [&](std::string_view) -> Status {
    ++count;
    return Error(ErrorKind::kInternal, "stop");
  });
  CHECK_FALSE(status.ok());
  CHECK(count == 1);
}

}  // namespace
}  // namespace llm::kube

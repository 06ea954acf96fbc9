#include "util/sse_parser.h"

#include <vector>

#include <doctest/doctest.h>

namespace llm {
namespace {

std::vector<SseEvent> FeedAll(const std::vector<std::string>& chunks, bool finish = true) {
  SseParser parser;
  std::vector<SseEvent> events;
  auto sink = [&](const SseEvent& e) {
    events.push_back(e);
    return true;
  };
  for (const std::string& chunk : chunks) REQUIRE(parser.Feed(chunk, sink));
  if (finish) REQUIRE(parser.Finish(sink));
  return events;
}

TEST_CASE("sse: data events cut anywhere, as a proxy may deliver them") {
  const std::string body =
      "data: {\"choices\":[{\"text\":\" Hello\"}]}\n\n: keep-alive\n\ndata: {\"choices\":[]}\r\n\r\ndata: [DONE]\n\n";
  for (size_t cut = 0; cut <= body.size(); ++cut) {
    CAPTURE(cut);
    std::vector<SseEvent> events = FeedAll({body.substr(0, cut), body.substr(cut)});
    REQUIRE(events.size() == 3);
    CHECK(events[0].data == "{\"choices\":[{\"text\":\" Hello\"}]}");
    CHECK(events[1].data == "{\"choices\":[]}");
    CHECK(events[2].data == "[DONE]");
  }
}

TEST_CASE("sse: multi-line data, event names, CR line ends and a last event without a blank line") {
  std::vector<SseEvent> events = FeedAll({"event: error\rdata: a\rdata:b\r\r", "data: tail"});
  REQUIRE(events.size() == 2);
  CHECK(events[0].event == "error");
  CHECK(events[0].data == "a\nb");
  CHECK(events[1].data == "tail");
  CHECK(FeedAll({"data: tail"}, /*finish=*/false).empty());
}

TEST_CASE("sse: the sink stops the stream") {
  SseParser parser;
  int seen = 0;
  CHECK_FALSE(parser.Feed("data: 1\n\ndata: 2\n\n", [&](const SseEvent&) {
    ++seen;
    return false;
  }));
  CHECK(seen == 1);
}

}  // namespace
}  // namespace llm

#include "workload/log_line_merger.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

using Lines = std::vector<std::string>;

TEST_CASE("chunks that end mid-line are joined into whole prefixed lines") {
  LogLineMerger merger;
  merger.AddStream("chat-0", "[chat-0 leader]");
  merger.AddStream("chat-0-1", "[chat-0-1 worker]");
  CHECK(merger.Feed("chat-0", "INFO Loading wei") == Lines{});
  CHECK(merger.Feed("chat-0-1", "INFO NCCL version 2.27.3\nINFO rank 1 ") ==
        Lines{"[chat-0-1 worker] INFO NCCL version 2.27.3"});
  CHECK(merger.Feed("chat-0", "ghts\r\nINFO ready\n") ==
        Lines{"[chat-0 leader] INFO Loading weights", "[chat-0 leader] INFO ready"});
  CHECK(merger.Feed("chat-0-1", "joined\n\n") == Lines{"[chat-0-1 worker] INFO rank 1 joined", "[chat-0-1 worker] "});
}

TEST_CASE("a stream that was never added has no prefix") {
  LogLineMerger merger;
  CHECK(merger.Feed("x", "plain\n") == Lines{"plain"});
}

TEST_CASE("closing a stream emits its unterminated last line once") {
  LogLineMerger merger;
  merger.AddStream("a", "[a]");
  merger.AddStream("b", "[b]");
  CHECK(merger.Feed("a", "Traceback (most recent call last):\n  File \"x.py\"") ==
        Lines{"[a] Traceback (most recent call last):"});
  CHECK(merger.Feed("b", "partial") == Lines{});
  CHECK(merger.Close("a") == Lines{"[a]   File \"x.py\""});
  CHECK(merger.Close("a") == Lines{});
  CHECK(merger.CloseAll() == Lines{"[b] partial"});
  CHECK(merger.CloseAll() == Lines{});
}

TEST_CASE("an endless line is cut at the limit on a UTF-8 boundary") {
  LogLineMerger merger;
  merger.AddStream("a", "[a]");
  // 'é' is two bytes; place one across the cut.
  std::string text(LogLineMerger::kMaxLineBytes - 1, 'x');
  text += "\xc3\xa9tail";
  Lines lines = merger.Feed("a", text);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0] == "[a] " + std::string(LogLineMerger::kMaxLineBytes - 1, 'x'));
  CHECK(merger.Close("a") == Lines{"[a] \xc3\xa9tail"});
}

}  // namespace
}  // namespace llm

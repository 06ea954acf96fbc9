#include "workload/log_follow_cursor.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

TEST_CASE("LogFollowCursor: timestamps taken off, whole lines only, unstamped lines passed on") {
  LogFollowCursor cursor;
  CHECK_FALSE(cursor.ResumeSince().has_value());
  CHECK(cursor.Feed("2026-12-05T01:02:03.123456789Z hello wor") == "");
  CHECK(cursor.Feed("ld\nno stamp here\n2026-12-05T01:02:04Z  two spaces\n") ==
        "hello world\nno stamp here\n two spaces\n");
  CHECK(cursor.ResumeSince() == "2026-12-05T01:02:04Z");
  CHECK(cursor.Feed("2026-12-05T01:02:05Z last, unterminated") == "");
  CHECK(cursor.Finish() == "last, unterminated\n");
  CHECK(cursor.Finish() == "");
}

TEST_CASE("LogFollowCursor: a resumed stream drops what was printed, by instant, not by text") {
  LogFollowCursor cursor;
  CHECK(cursor.Feed("2026-12-05T01:02:03.5Z a\n2026-12-05T01:02:03.75Z b\n2026-12-05T01:02:03.75Z b\n") == "a\nb\nb\n");
  CHECK(cursor.Feed("2026-12-05T01:02:03.8Z cut o") == "");
  cursor.Resume();
  CHECK(cursor.ResumeSince() == "2026-12-05T01:02:03Z");
  // The second comes again, fractions written with other lengths (Go trims zeros).
  CHECK(cursor.Feed("2026-12-05T01:02:03.1Z early\n2026-12-05T01:02:03.5Z a\n2026-12-05T01:02:03.750Z b\n"
                    "2026-12-05T01:02:03.75Z b\n2026-12-05T01:02:03.75Z b\n2026-12-05T01:02:03.8Z cut off\n") ==
        "b\ncut off\n");
  // Lines of one instant printed after the resume count too.
  cursor.Resume();
  CHECK(cursor.Feed("2026-12-05T01:02:03.8Z cut off\n2026-12-05T01:02:09Z next\n") == "next\n");
}

TEST_CASE("LogFollowCursor: resumed twice before anything new came, the same lines are dropped each time") {
  LogFollowCursor cursor;
  CHECK(cursor.Feed("2026-12-05T01:02:03Z x\n") == "x\n");
  cursor.Resume();
  CHECK(cursor.Feed("") == "");
  cursor.Resume();
  CHECK(cursor.Feed("2026-12-05T01:02:03Z x\n2026-12-05T01:02:03Z y\n") == "y\n");
}

TEST_CASE("LogFollowCursor: a line stamped earlier than the last is printed and never moves the cursor back") {
  LogFollowCursor cursor;
  CHECK(cursor.Feed("2026-12-05T01:02:03Z x\n2020-01-01T00:00:00Z old\n") == "x\nold\n");
  CHECK(cursor.ResumeSince() == "2026-12-05T01:02:03Z");
  cursor.Resume();
  CHECK(cursor.Feed("2026-12-05T01:02:03Z x\n2026-12-05T01:02:04Z y\n") == "y\n");
}

TEST_CASE("LogFollowCursor: a line longer than the limit without a newline is passed on, not held") {
  LogFollowCursor cursor;
  const std::string big(LogFollowCursor::kMaxHeldBytes + 1, 'z');
  CHECK(cursor.Feed(big) == big);
}

}  // namespace
}  // namespace llm

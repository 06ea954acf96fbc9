#include "util/rfc3339.h"

#include <doctest/doctest.h>

namespace llm {

TEST_CASE("RFC 3339 timestamps round-trip and accept API server variants") {
  auto t = ParseRfc3339("2026-11-28T12:34:56Z");
  REQUIRE(t.has_value());
  CHECK(FormatRfc3339(*t) == "2026-11-28T12:34:56Z");
  CHECK(std::chrono::system_clock::to_time_t(*t) == 1795869296);
  CHECK(ParseRfc3339("2026-11-28T12:34:56.123456Z") == t);
  CHECK(ParseRfc3339("2026-11-28T14:34:56+02:00") == t);
  CHECK(ParseRfc3339("2026-11-28T10:34:56-02:00") == t);
  for (const char* bad : {"", "2026-11-28", "2026-11-28 12:34:56Z", "2026-13-28T12:34:56Z", "2026-11-28T12:34:56",
                          "2026-11-28T12:34:56Zjunk", "2026-11-28T12:34:56.Z"}) {
    INFO(bad);
    CHECK_FALSE(ParseRfc3339(bad).has_value());
  }
}

// Found by tests/fuzz/node_report_fuzzer.cpp (corpus/node_report/finding-year-4684):
// a time past what TimePoint holds overflowed a signed cast (UBSan's report).
TEST_CASE("RFC 3339 times outside what TimePoint holds are refused, not overflowed") {
  CHECK_FALSE(ParseRfc3339("4684-12-04T16:00:00Z").has_value());
  CHECK_FALSE(ParseRfc3339("0001-01-01T00:00:00Z").has_value());
  CHECK_FALSE(ParseRfc3339("2262-06-01T00:00:00Z").has_value());
  CHECK(ParseRfc3339("2261-12-31T23:59:59Z").has_value());
  CHECK(ParseRfc3339("1700-01-01T00:00:00Z").has_value());
}

}  // namespace llm

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

}  // namespace llm

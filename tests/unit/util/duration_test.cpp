#include "util/duration.h"

#include <doctest/doctest.h>

namespace llm {

TEST_CASE("ParseDuration accepts kubectl's durations and days") {
  struct Case {
    const char* text;
    long long seconds;
  };
  for (const Case& c : {Case{"0", 0}, Case{"30s", 30}, Case{"5m", 300}, Case{"1h", 3600}, Case{"1h30m", 5400},
                        Case{"1.5h", 5400}, Case{"7d", 604800}, Case{"1500ms", 1}, Case{"2m3s", 123}}) {
    INFO(c.text);
    auto d = ParseDuration(c.text, "--timeout");
    REQUIRE(d.ok());
    CHECK(d->count() == c.seconds);
  }
}

TEST_CASE("ParseDuration errors name the flag and what is accepted") {
  struct Case {
    const char* text;
    const char* why;
  };
  for (const Case& c : {Case{"", "empty duration"}, Case{"10", "missing unit"}, Case{"5x", "unknown unit \"x\""},
                        Case{"-5m", "must not be negative"}, Case{"m", "expected a number"},
                        Case{"1..5h", "bad number"}, Case{"400d", "longer than 366 days"}}) {
    INFO(c.text);
    auto d = ParseDuration(c.text, "--timeout");
    REQUIRE_FALSE(d.ok());
    CHECK(d.error().kind() == ErrorKind::kUsage);
    CHECK(d.error().message() == std::string("invalid --timeout \"") + c.text + "\": " + c.why +
                                     "; use a number with a unit: s, m, h or d (e.g. 30s, 5m, 1h30m, 7d)");
  }
}

TEST_CASE("FormatDuration and FormatShortDuration") {
  CHECK(FormatDuration(Seconds(0)) == "0s");
  CHECK(FormatDuration(Seconds(45)) == "45s");
  CHECK(FormatDuration(Seconds(600)) == "10m0s");
  CHECK(FormatDuration(Seconds(3723)) == "1h2m3s");
  CHECK(FormatShortDuration(Seconds(45)) == "45s");
  CHECK(FormatShortDuration(Seconds(303)) == "5m3s");
  CHECK(FormatShortDuration(Seconds(300)) == "5m");
  CHECK(FormatShortDuration(Seconds(7500)) == "2h5m");
  CHECK(FormatShortDuration(Seconds(86400)) == "1d");
  CHECK(FormatShortDuration(Seconds(3 * 86400 + 4 * 3600)) == "3d4h");
}

}  // namespace llm

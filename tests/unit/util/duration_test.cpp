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

TEST_CASE("FormatDuration is Go's Duration.String") {
  CHECK(FormatDuration(Seconds(0)) == "0s");
  CHECK(FormatDuration(Seconds(45)) == "45s");
  CHECK(FormatDuration(Seconds(600)) == "10m0s");
  CHECK(FormatDuration(Seconds(3723)) == "1h2m3s");
}

TEST_CASE("--request-timeout accepts kubectl's forms") {
  using std::chrono::milliseconds;
  struct Case {
    const char* text;
    long long ms;
  };
  for (Case c : {Case{"0", 0}, Case{"5", 5000}, Case{"1s", 1000}, Case{"2m", 120000}, Case{"1h30m", 5400000},
                 Case{"500ms", 500}, Case{"1.5s", 1500}}) {
    CAPTURE(c.text);
    auto r = ParseRequestTimeout(c.text);
    REQUIRE(r.ok());
    CHECK(r->count() == c.ms);
  }
  for (const char* bad : {"abc", "5x", "-1", "s"}) {
    CAPTURE(bad);
    auto r = ParseRequestTimeout(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind() == ErrorKind::kUsage);
    CHECK(r.error().message().find("--request-timeout") != std::string::npos);
  }
}

TEST_CASE("ParseDurationMillis keeps milliseconds, with its own hint") {
  CHECK(ParseDurationMillis("500ms", "--ttft-budget").value() == std::chrono::milliseconds(500));
  CHECK(ParseDurationMillis("1.5s", "--ttft-budget").value() == std::chrono::milliseconds(1500));
  CHECK(ParseDurationMillis("0", "--ttft-budget").value() == std::chrono::milliseconds(0));
  auto bad = ParseDurationMillis("2", "--ttft-budget");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().kind() == ErrorKind::kUsage);
  CHECK(bad.error().message() ==
        "invalid --ttft-budget \"2\": missing unit; use a number with a unit: ms, s, m or h (e.g. 500ms, 2s, 1m30s)");
}

}  // namespace llm

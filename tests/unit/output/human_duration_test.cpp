#include "output/human_duration.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

using namespace std::chrono_literals;

TEST_CASE("HumanDuration matches apimachinery's duration.HumanDuration") {
  struct Case {
    std::chrono::nanoseconds d;
    const char* want;
  };
  const Case cases[] = {
      {-2s, "<invalid>"},
      {-1500ms, "0s"},  // up to 1s of clock skew reads as now
      {0s, "0s"},
      {5s, "5s"},
      {119s, "119s"},
      {120s, "2m"},
      {182s, "3m2s"},
      {9min + 59s, "9m59s"},
      {10min + 30s, "10m"},
      {179min, "179m"},
      {3h, "3h"},
      {3h + 5min, "3h5m"},
      {7h + 59min, "7h59m"},
      {8h + 30min, "8h"},
      {47h, "47h"},
      {48h, "2d"},
      {51h, "2d3h"},
      {24h * 8, "8d"},
      {24h * 729, "729d"},
      {24h * 730, "2y"},
      {24h * 731, "2y1d"},
      {24h * 365 * 8, "8y"},
      {24h * 365 * 20 + 24h * 100, "20y"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.want);
    CHECK(HumanDuration(c.d) == c.want);
  }
}

TEST_CASE("HumanAge reads creationTimestamp") {
  auto now = std::chrono::sys_days{std::chrono::November / 28 / 2026} + 12h;
  CHECK(HumanAge("2026-11-28T11:57:00Z", now) == "3m");
  CHECK(HumanAge("2026-11-26T09:00:00Z", now) == "2d3h");
  CHECK(HumanAge("2026-11-28T13:00:00+01:00", now) == "0s");
  CHECK(HumanAge("", now) == "<unknown>");
  CHECK(HumanAge("yesterday", now) == "<unknown>");
}

}  // namespace
}  // namespace llm

#include "util/rfc3339.h"

#include <charconv>

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace llm {
namespace {

bool ReadDigits(std::string_view text, size_t pos, size_t count, int& out) {
  if (pos + count > text.size()) return false;
  auto [end, ec] = std::from_chars(text.data() + pos, text.data() + pos + count, out);
  return ec == std::errc() && end == text.data() + pos + count;
}

}  // namespace

std::optional<TimePoint> ParseRfc3339Exact(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't') || text[13] != ':' ||
      text[16] != ':') {
    return std::nullopt;
  }
  if (!ReadDigits(text, 0, 4, year) || !ReadDigits(text, 5, 2, month) || !ReadDigits(text, 8, 2, day) ||
      !ReadDigits(text, 11, 2, hour) || !ReadDigits(text, 14, 2, minute) || !ReadDigits(text, 17, 2, second)) {
    return std::nullopt;
  }
  size_t pos = 19;
  std::chrono::nanoseconds fraction{0};
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int64_t scale = 100000000;
    size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      fraction += std::chrono::nanoseconds((text[pos] - '0') * scale);
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  std::chrono::seconds offset{0};
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int oh = 0, om = 0;
    if (!ReadDigits(text, pos + 1, 2, oh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !ReadDigits(text, pos + 4, 2, om)) {
      return std::nullopt;
    }
    offset = std::chrono::hours(oh) + std::chrono::minutes(om);
    if (text[pos] == '-') offset = -offset;
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                                   std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) return std::nullopt;
  auto days = std::chrono::sys_days(date);
  auto time = days + std::chrono::hours(hour) + std::chrono::minutes(minute) + std::chrono::seconds(second) - offset;
  // TimePoint counts nanoseconds in 64 bits (years 1678 to 2261): a time
  // outside that would overflow the cast below, which is undefined (found by
  // tests/fuzz/node_report_fuzzer.cpp with startedAt "4684-12-04T16:00:00Z").
  constexpr auto kLimit = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::duration::max()) -
                          std::chrono::seconds(1);
  if (time.time_since_epoch() > kLimit || time.time_since_epoch() < -kLimit) return std::nullopt;
  return std::chrono::time_point_cast<std::chrono::system_clock::duration>(time) +
         std::chrono::duration_cast<std::chrono::system_clock::duration>(fraction);
}

std::optional<TimePoint> ParseRfc3339(std::string_view text) {
  auto exact = ParseRfc3339Exact(text);
  if (!exact) return std::nullopt;
  return std::chrono::floor<std::chrono::seconds>(*exact);
}

std::string FormatRfc3339(TimePoint t) {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::chrono::system_clock::to_time_t(t)));
}

}  // namespace llm

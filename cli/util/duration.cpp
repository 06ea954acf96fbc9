#include "util/duration.h"

#include <cctype>
#include <cmath>
#include <string>

#include <fmt/format.h>

#include "util/go_duration.h"

namespace llm {
namespace {

struct Unit {
  std::string_view name;
  double seconds;
};

// Longest names first so "ms" is not read as "m" followed by garbage.
constexpr Unit kUnits[] = {{"ns", 1e-9}, {"us", 1e-6}, {"µs", 1e-6}, {"ms", 1e-3},
                           {"s", 1},     {"m", 60},    {"h", 3600},  {"d", 86400}};

// Nothing the tool waits for takes a year; the bound keeps the arithmetic exact.
constexpr double kMaxSeconds = 366.0 * 86400;

}  // namespace

Result<Seconds> ParseDuration(std::string_view text, std::string_view flag) {
  auto invalid = [&](std::string_view why) {
    return Error(ErrorKind::kUsage,
                 fmt::format("invalid {} \"{}\": {}; use a number with a unit: s, m, h or d "
                             "(e.g. 30s, 5m, 1h30m, 7d)",
                             flag, text, why));
  };
  if (text.empty()) return invalid("empty duration");
  if (text == "0") return Seconds(0);
  if (text.front() == '-') return invalid("must not be negative");
  double total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t start = i;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) != 0 || text[i] == '.')) ++i;
    if (start == i) return invalid("expected a number");
    const std::string number_text(text.substr(start, i - start));
    if (number_text == "." || number_text.find('.') != number_text.rfind('.')) return invalid("bad number");
    const double number = std::stod(number_text);
    const Unit* unit = nullptr;
    for (const Unit& u : kUnits) {
      if (text.substr(i).starts_with(u.name)) {
        // "m" must not swallow the "m" of "ms": kUnits lists "ms" first.
        unit = &u;
        break;
      }
    }
    if (unit == nullptr) {
      return invalid(i == text.size() ? "missing unit" : fmt::format("unknown unit \"{}\"", text.substr(i)));
    }
    i += unit->name.size();
    total += number * unit->seconds;
    if (total > kMaxSeconds) return invalid("longer than 366 days");
  }
  return Seconds(static_cast<long long>(std::floor(total)));
}

std::string FormatDuration(Seconds d) { return GoDurationString(d); }

std::string FormatShortDuration(Seconds d) {
  long long s = d.count() < 0 ? 0 : d.count();
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return s % 60 == 0 ? fmt::format("{}m", s / 60) : fmt::format("{}m{}s", s / 60, s % 60);
  if (s < 86400) {
    const long long m = (s % 3600) / 60;
    return m == 0 ? fmt::format("{}h", s / 3600) : fmt::format("{}h{}m", s / 3600, m);
  }
  const long long h = (s % 86400) / 3600;
  return h == 0 ? fmt::format("{}d", s / 86400) : fmt::format("{}d{}h", s / 86400, h);
}

}  // namespace llm

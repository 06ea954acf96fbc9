#include "util/duration.h"

#include <cctype>
#include <cmath>
#include <string>
#include <variant>

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

// The one parser: a sequence of <number><unit>, in seconds, or the reason it
// is not one. Callers word the error for their flag.
std::variant<double, std::string> ParseSeconds(std::string_view text) {
  if (text.empty()) return std::string("empty duration");
  if (text.front() == '-') return std::string("must not be negative");
  double total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t start = i;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) != 0 || text[i] == '.')) ++i;
    if (start == i) return std::string("expected a number");
    const std::string number_text(text.substr(start, i - start));
    if (number_text == "." || number_text.find('.') != number_text.rfind('.')) return std::string("bad number");
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
      return i == text.size() ? std::string("missing unit") : fmt::format("unknown unit \"{}\"", text.substr(i));
    }
    i += unit->name.size();
    total += number * unit->seconds;
    if (total > kMaxSeconds) return std::string("longer than 366 days");
  }
  return total;
}

}  // namespace

Result<Seconds> ParseDuration(std::string_view text, std::string_view flag) {
  if (text == "0") return Seconds(0);
  auto parsed = ParseSeconds(text);
  if (auto* why = std::get_if<std::string>(&parsed)) {
    return Error(ErrorKind::kUsage, fmt::format("invalid {} \"{}\": {}; use a number with a unit: s, m, h or d "
                                                "(e.g. 30s, 5m, 1h30m, 7d)",
                                                flag, text, *why));
  }
  return Seconds(static_cast<long long>(std::floor(std::get<double>(parsed))));
}

Result<std::chrono::milliseconds> ParseDurationMillis(std::string_view text, std::string_view flag) {
  if (text == "0") return std::chrono::milliseconds(0);
  auto parsed = ParseSeconds(text);
  if (auto* why = std::get_if<std::string>(&parsed)) {
    return Error(ErrorKind::kUsage, fmt::format("invalid {} \"{}\": {}; use a number with a unit: ms, s, m or h "
                                                "(e.g. 500ms, 2s, 1m30s)",
                                                flag, text, *why));
  }
  return std::chrono::milliseconds(static_cast<long long>(std::floor(std::get<double>(parsed) * 1000)));
}

Result<std::chrono::milliseconds> ParseRequestTimeout(std::string_view text) {
  if (text.empty()) return std::chrono::milliseconds(0);
  // kubectl reads a bare integer as seconds.
  const bool bare = text.find_first_not_of("0123456789") == std::string_view::npos;
  auto parsed =
      bare && text.size() <= 9 ? std::variant<double, std::string>(std::stod(std::string(text))) : ParseSeconds(text);
  if (std::holds_alternative<std::string>(parsed)) {
    return Error(ErrorKind::kUsage, fmt::format("invalid --request-timeout '{}': use an integer number of seconds or a "
                                                "duration with a unit (e.g. 1s, 2m, 3h); 0 means no timeout",
                                                text));
  }
  return std::chrono::milliseconds(static_cast<int64_t>(std::get<double>(parsed) * 1000));
}

std::string FormatDuration(Seconds d) { return GoDurationString(d); }

}  // namespace llm

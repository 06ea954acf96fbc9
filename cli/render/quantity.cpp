#include "render/quantity.h"

#include <array>

#include <fmt/format.h>

namespace llm {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

/// Parses the number part; returns how many characters it used (0: none) and
/// whether any digit other than 0 was seen.
size_t ParseNumber(std::string_view s, bool* nonzero) {
  size_t i = 0;
  if (i < s.size() && s[i] == '+') ++i;
  size_t digits = 0;
  for (; i < s.size() && IsDigit(s[i]); ++i, ++digits) *nonzero = *nonzero || s[i] != '0';
  if (i < s.size() && s[i] == '.') {
    ++i;
    for (; i < s.size() && IsDigit(s[i]); ++i, ++digits) *nonzero = *nonzero || s[i] != '0';
  }
  return digits == 0 ? 0 : i;
}

bool IsValidSuffix(std::string_view suffix) {
  static constexpr std::array<std::string_view, 15> kSuffixes = {"",  "n", "u",  "m",  "k",  "M",  "G", "T",
                                                                 "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi"};
  for (std::string_view s : kSuffixes) {
    if (suffix == s) return true;
  }
  if (suffix == "Ei") return true;
  if (suffix.size() >= 2 && (suffix[0] == 'e' || suffix[0] == 'E')) {
    size_t i = 1;
    if (suffix[i] == '+' || suffix[i] == '-') ++i;
    if (i == suffix.size()) return false;
    for (; i < suffix.size(); ++i) {
      if (!IsDigit(suffix[i])) return false;
    }
    return true;
  }
  return false;
}

Status Check(std::string_view s, std::string_view flag, bool* nonzero) {
  const size_t used = s.size() <= 64 ? ParseNumber(s, nonzero) : 0;
  if (used == 0 || !IsValidSuffix(s.substr(used))) {
    return Error(ErrorKind::kUsage,
                 fmt::format("{}: '{}' is not a Kubernetes quantity; use a non-negative number with an "
                             "optional suffix (Ki Mi Gi Ti Pi Ei, m k M G T P E, or e<exponent>), e.g. 500m, 16Gi",
                             flag, s));
  }
  return Ok();
}

}  // namespace

Status CheckQuantity(std::string_view s, std::string_view flag) {
  bool nonzero = false;
  return Check(s, flag, &nonzero);
}

Status CheckPositiveQuantity(std::string_view s, std::string_view flag) {
  bool nonzero = false;
  LLM_RETURN_IF_ERROR(Check(s, flag, &nonzero));
  if (!nonzero) return Error(ErrorKind::kUsage, fmt::format("{}: must be greater than zero, got '{}'", flag, s));
  return Ok();
}

}  // namespace llm

#include "util/yaml_scalar.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdlib>

#include <fmt/format.h>

#include "util/utf8.h"

namespace llm {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

/// [-+]?[0-9]+ (YAML 1.2 core schema int, decimal form).
bool IsCoreInt(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  return !s.empty() && std::all_of(s.begin(), s.end(), IsDigit);
}

/// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? (core schema float).
bool IsCoreFloat(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  size_t int_digits = 0, frac_digits = 0;
  while (i < s.size() && IsDigit(s[i])) ++i, ++int_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && IsDigit(s[i])) ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    size_t exp_digits = 0;
    while (i < s.size() && IsDigit(s[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == s.size();
}

}  // namespace

Status CheckUtf8(std::string_view value, std::string_view what) {
  for (size_t i = 0; i < value.size();) {
    char32_t cp = 0;
    const size_t len = Utf8SequenceLength(value, i, &cp);
    if (len == 0) {
      return Error(ErrorKind::kUsage,
                   fmt::format("{}: not valid UTF-8 at byte {}; only Unicode text is accepted", what, i));
    }
    i += len;
  }
  return Ok();
}

std::string YamlDoubleQuote(std::string_view value) {
  std::string out;
  out.reserve(value.size() + 2);
  out.push_back('"');
  // Most values are printable ASCII without a quote or a backslash: written as they are.
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= 0x20 && c < 0x7F && c != '"' && c != '\\'; })) {
    out.append(value);
    out.push_back('"');
    return out;
  }
  for (size_t i = 0; i < value.size();) {
    char32_t cp = 0;
    size_t len = Utf8SequenceLength(value, i, &cp);
    const bool invalid = len == 0;
    if (invalid) {  // Callers check UTF-8 first; never let a stray byte through raw.
      cp = 0xFFFD;
      len = 1;
    }
    switch (cp) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        // C0/C1 controls, DEL, the Unicode line/paragraph separators (line breaks in
        // YAML 1.1), the BOM, and non-characters are written as escapes.
        if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF ||
            invalid || cp == 0xFFFE || cp == 0xFFFF) {
          out += fmt::format("\\u{:04X}", static_cast<uint32_t>(cp));
        } else {
          out.append(value.substr(i, len));
        }
    }
    i += len;
  }
  out.push_back('"');
  return out;
}

bool IsSafePlainScalar(std::string_view value) {
  if (value.empty() || value.size() > 256) return false;
  // Conservative: letters, digits and a few punctuation marks that YAML gives no
  // meaning inside a plain scalar; first character a letter, digit, '/' or '.'.
  for (char c : value) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.' || c == '/' || c == '=' || c == '+' || c == ':' || c == '$' || c == '(' ||
                    c == ')' || c == '@' || c == ' ' || c == ',';
    if (!ok) return false;
  }
  const char first = value.front();
  if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z') || first == '/' ||
        (first >= '0' && first <= '9'))) {
    return false;
  }
  if (value.back() == ' ' || value.back() == ':' || value.find(": ") != std::string_view::npos ||
      value.find(" #") != std::string_view::npos || value.find(',') != std::string_view::npos) {
    return false;
  }
  // Words a YAML 1.1 or 1.2 reader resolves to booleans or null.
  static constexpr std::array<std::string_view, 27> kKeywords = {
      "y",     "Y",     "yes", "Yes", "YES", "n",   "N",   "no",  "No",   "NO",   "true", "True", "TRUE", "false",
      "False", "FALSE", "on",  "On",  "ON",  "off", "Off", "OFF", "null", "Null", "NULL", ".inf", ".nan"};
  for (std::string_view k : kKeywords) {
    if (value == k) return false;
  }
  // Numbers, sexagesimals and dates all start with a digit and use only these
  // characters (a date "2024-01-01T10:00Z" starts with four digits and '-').
  // Quoting more than needed is harmless, so this stays coarse.
  if (first >= '0' && first <= '9') {
    const bool numeric_chars = value.find_first_not_of("0123456789abcdefABCDEFxXoO_.:+-") == std::string_view::npos;
    const bool date = value.size() >= 5 &&
                      value.substr(0, 4).find_first_not_of("0123456789") == std::string_view::npos && value[4] == '-';
    if (numeric_chars || date) return false;
  }
  return true;
}

bool IsNullPlainScalar(std::string_view text) {
  return text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL";
}

nlohmann::ordered_json ResolvePlainScalar(const std::string& text) {
  using Json = nlohmann::ordered_json;
  if (text == "true" || text == "True" || text == "TRUE") return Json(true);
  if (text == "false" || text == "False" || text == "FALSE") return Json(false);
  if (IsNullPlainScalar(text)) return Json(nullptr);
  if (IsCoreInt(text)) {
    errno = 0;
    char* end = nullptr;
    const long long v = std::strtoll(text.c_str(), &end, 10);
    if (errno == 0 && end == text.c_str() + text.size()) return Json(v);
  }
  if (IsCoreFloat(text)) return Json(std::strtod(text.c_str(), nullptr));
  return Json(text);
}

}  // namespace llm

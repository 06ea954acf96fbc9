#include "output/go_value_text.h"

#include <charconv>
#include <cmath>
#include <string_view>

#include <fmt/format.h>

#include "util/utf8.h"

namespace llm {
namespace {

std::string ToChars(double value, std::chars_format format) {
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value, format);
  return std::string(buffer, ec == std::errc() ? end : buffer);
}

// The decimal exponent of the shortest representation, as strconv computes it
// to choose between %e and %f.
int DecimalExponent(double value) {
  const std::string scientific = ToChars(value, std::chars_format::scientific);
  return std::stoi(scientific.substr(scientific.find('e') + 1));
}

// fmt's %v of a float64: strconv's 'g' with the shortest digits, which turns
// to %e when the exponent is below -4 or at least 6 ("if precision was the
// shortest possible, use precision 6 for this decision").
std::string GoFloatV(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == 0) return std::signbit(value) ? "-0" : "0";
  const int exponent = DecimalExponent(value);
  if (exponent < -4 || exponent >= 6) return ToChars(value, std::chars_format::scientific);
  return ToChars(value, std::chars_format::fixed);
}

// encoding/json's float64: 'f' unless |v| < 1e-6 or >= 1e21, and "e-07" written "e-7".
std::string GoJsonFloat(double value) {
  const double magnitude = std::fabs(value);
  if (magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21)) {
    std::string text = ToChars(value, std::chars_format::scientific);
    const size_t n = text.size();
    if (n >= 4 && text[n - 4] == 'e' && text[n - 3] == '-' && text[n - 2] == '0') text.erase(n - 2, 1);
    return text;
  }
  return ToChars(value, std::chars_format::fixed);
}

// The escapes encoding/json and strconv.Quote write alike.
const char* ShortEscape(unsigned char c) {
  switch (c) {
    case '"':
      return "\\\"";
    case '\\':
      return "\\\\";
    case '\n':
      return "\\n";
    case '\r':
      return "\\r";
    case '\t':
      return "\\t";
    case '\b':
      return "\\b";
    case '\f':
      return "\\f";
    default:
      return nullptr;
  }
}

// A valid UTF-8 sequence's length at text[i], or 0.
size_t ValidSequenceLength(std::string_view text, size_t i) {
  char32_t code_point = 0;
  return Utf8SequenceLength(text, i, &code_point);
}

void AppendGoJsonString(std::string& out, std::string_view text) {
  out += '"';
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (const char* escape = ShortEscape(c)) {
        out += escape;
      } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
        out += fmt::format("\\u{:04x}", c);
      } else {
        out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    const size_t length = ValidSequenceLength(text, i);
    if (length == 0) {  // invalid UTF-8 becomes U+FFFD, as encoding/json writes it
      out += "\\ufffd";
      ++i;
      continue;
    }
    const std::string_view sequence = text.substr(i, length);
    if (sequence == "\u2028" || sequence == "\u2029") {
      out += sequence == "\u2028" ? "\\u2028" : "\\u2029";
    } else {
      out += sequence;
    }
    i += length;
  }
  out += '"';
}

void AppendGoJson(std::string& out, const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::object: {
      out += '{';
      bool first = true;
      for (auto it = value.begin(); it != value.end(); ++it) {  // nlohmann::json keeps keys sorted, as Go sorts them
        if (!first) out += ',';
        first = false;
        AppendGoJsonString(out, it.key());
        out += ':';
        AppendGoJson(out, it.value());
      }
      out += '}';
      return;
    }
    case nlohmann::json::value_t::array: {
      out += '[';
      for (size_t i = 0; i < value.size(); ++i) {
        if (i > 0) out += ',';
        AppendGoJson(out, value[i]);
      }
      out += ']';
      return;
    }
    case nlohmann::json::value_t::string:
      AppendGoJsonString(out, value.get_ref<const std::string&>());
      return;
    case nlohmann::json::value_t::number_float:
      out += GoJsonFloat(value.get<double>());
      return;
    default:  // integers, booleans, null: JSON's spelling is Go's
      out += value.dump();
      return;
  }
}

void AppendGoSprint(std::string& out, const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::object: {
      out += "map[";
      bool first = true;
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (!first) out += ' ';
        first = false;
        out += it.key();
        out += ':';
        AppendGoSprint(out, it.value());
      }
      out += ']';
      return;
    }
    case nlohmann::json::value_t::array:
      out += '[';
      for (size_t i = 0; i < value.size(); ++i) {
        if (i > 0) out += ' ';
        AppendGoSprint(out, value[i]);
      }
      out += ']';
      return;
    case nlohmann::json::value_t::string:
      out += value.get_ref<const std::string&>();
      return;
    case nlohmann::json::value_t::number_float:
      out += GoFloatV(value.get<double>());
      return;
    case nlohmann::json::value_t::null:
      out += "<nil>";
      return;
    default:
      out += value.dump();
      return;
  }
}

}  // namespace

std::string GoSprint(const nlohmann::json& value) {
  std::string out;
  AppendGoSprint(out, value);
  return out;
}

std::string GoQuote(std::string_view text) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const size_t length = ValidSequenceLength(text, i);
      if (length == 0) {
        out += fmt::format("\\x{:02x}", c);
        ++i;
      } else {
        out += text.substr(i, length);
        i += length;
      }
      continue;
    }
    ++i;
    if (const char* escape = ShortEscape(c)) {
      out += escape;
    } else if (c == '\a' || c == '\v') {
      out += c == '\a' ? "\\a" : "\\v";
    } else if (c < 0x20 || c == 0x7F) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string GoJsonMarshal(const nlohmann::json& value) {
  std::string out;
  AppendGoJson(out, value);
  return out;
}

}  // namespace llm

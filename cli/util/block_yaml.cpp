#include "util/block_yaml.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <string>

#include "util/strings.h"
#include "util/utf8.h"
#include "util/yaml_scalar.h"

namespace llm {
namespace {

// Past these the reader declines and libyaml decides: deeper nesting (libyaml's
// parse refuses past 1,000 levels; the reader recurses), longer texts (1 MiB
// cannot hold the million nodes where libyaml's parse stops counting), and
// longer keys (libyaml looks for a simple key's ':' within 1,024 characters).
constexpr size_t kMaxDepth = 500;
constexpr size_t kMaxText = 1 << 20;
constexpr size_t kMaxKeyLength = 1000;

constexpr size_t npos = std::string_view::npos;

/// One line that holds something: its content starts at column `indent` and
/// runs to the end of the line. A "- " item's rest becomes a line of its own at
/// its column, which is how YAML reads a compact mapping or sequence.
struct Line {
  size_t indent = 0;
  std::string_view content;
};

bool IsSequenceEntry(std::string_view content) { return content == "-" || content.starts_with("- "); }

/// True where nothing but spaces, then maybe a comment, follows a token.
bool OnlyCommentAfter(std::string_view rest) {
  const size_t at = rest.find_first_not_of(' ');
  return at == npos || (at > 0 && rest[at] == '#');
}

/// Whether a plain scalar may start here in block context: not at an indicator
/// ("-" only before a non-space, as in "-1"; '?' and ':' declined outright).
bool CanStartPlain(std::string_view s) {
  if (s.empty()) return false;
  if (s[0] == '-') return s.size() > 1 && s[1] != ' ';
  return std::string_view("?:,[]{}#&*!|>'\"%@`").find(s[0]) == npos;
}

/// Where a plain scalar at the start of `s` ends: at ": " or a ':' that ends the
/// line (then it is a key), at " #" (a comment), or at the end of the line.
struct PlainEnd {
  size_t end = 0;
  bool at_colon = false;
};
PlainEnd ScanPlain(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ':' && (i + 1 == s.size() || s[i + 1] == ' ')) return {i, true};
    if (s[i] == '#' && i > 0 && s[i - 1] == ' ') return {i, false};
  }
  return {s.size(), false};
}

/// YAML's escapes of one character after the backslash, and what each stands for.
struct Escape {
  char name;
  char32_t code_point;
};
constexpr Escape kEscapes[] = {{'0', 0},    {'a', 0x07}, {'b', 0x08},   {'t', 0x09},  {'n', 0x0A}, {'v', 0x0B},
                               {'f', 0x0C}, {'r', 0x0D}, {'e', 0x1B},   {' ', ' '},   {'"', '"'},  {'\\', '\\'},
                               {'N', 0x85}, {'_', 0xA0}, {'L', 0x2028}, {'P', 0x2029}};

/// The escape after a backslash at `s[at]` (YAML's double-quoted escapes, as
/// libyaml reads them), appended to `out`; `at` moves past it. False for an
/// escape libyaml refuses, and for the line continuation (a backslash that
/// ends the line), which this reader leaves to libyaml.
bool ReadEscape(std::string_view s, size_t& at, std::string& out) {
  if (at >= s.size()) return false;
  const char c = s[at++];
  for (const Escape& escape : kEscapes) {
    if (escape.name == c) {
      AppendUtf8(out, escape.code_point);
      return true;
    }
  }
  const size_t hex_digits = c == 'x' ? 2 : c == 'u' ? 4 : c == 'U' ? 8 : 0;
  uint32_t code_point = 0;
  if (hex_digits == 0 || at + hex_digits > s.size()) return false;
  const char* digits_end = s.data() + at + hex_digits;
  if (auto [end, error] = std::from_chars(s.data() + at, digits_end, code_point, 16);
      error != std::errc() || end != digits_end) {
    return false;  // not all hex digits
  }
  if ((code_point >= 0xD800 && code_point <= 0xDFFF) || code_point > 0x10FFFF) return false;
  at += hex_digits;
  AppendUtf8(out, code_point);
  return true;
}

/// A quoted scalar that starts `s` and closes on the same line: its value, and
/// `end`, just past the closing quote.
bool ReadQuoted(std::string_view s, std::string& value, size_t& end) {
  const char quote = s[0];
  value.clear();
  size_t at = 1;
  while (at < s.size()) {
    const size_t stop = s.find_first_of(quote == '"' ? "\"\\" : "'", at);
    if (stop == npos) return false;  // continues on the next line: libyaml's to fold
    value.append(s.substr(at, stop - at));
    at = stop + 1;
    if (s[stop] == '\\') {
      if (!ReadEscape(s, at, value)) return false;
    } else if (quote == '\'' && at < s.size() && s[at] == '\'') {
      value += '\'';  // '' is one quote
      ++at;
    } else {
      end = at;
      return true;
    }
  }
  return false;
}

/// A mapping key at the start of `content` and the ':' after it: the key, and
/// `after`, just past the ':'. False when `content` does not start with one.
bool ReadKey(std::string_view content, std::string& key, size_t& after) {
  if (content[0] == '"' || content[0] == '\'') {
    size_t end = 0;
    if (!ReadQuoted(content, key, end) || end > kMaxKeyLength) return false;
    const size_t colon = content.find_first_not_of(' ', end);
    if (colon == npos || content[colon] != ':') return false;
    if (colon + 1 < content.size() && content[colon + 1] != ' ') return false;
    after = colon + 1;
    return true;
  }
  if (!CanStartPlain(content)) return false;
  const PlainEnd plain = ScanPlain(content);
  if (!plain.at_colon || plain.end > kMaxKeyLength) return false;
  key.assign(Trim(content.substr(0, plain.end)));
  after = plain.end + 1;
  return true;
}

/// A plain scalar's value: typed by YAML's core schema, or its text (null
/// where yaml-cpp reads null).
Json PlainValue(std::string_view text, PlainScalars plain) {
  if (plain == PlainScalars::kTyped) return ResolvePlainScalar(std::string(text));
  if (IsNullPlainScalar(text)) return nullptr;
  return Json(std::string(text));
}

/// A value that ends on its line: a quoted or plain scalar, `{}` or `[]`.
bool ReadInlineValue(std::string_view s, PlainScalars plain_scalars, Json& value) {
  if (s[0] == '"' || s[0] == '\'') {
    std::string text;
    size_t end = 0;
    if (!ReadQuoted(s, text, end) || !OnlyCommentAfter(s.substr(end))) return false;
    value = Json(std::move(text));
    return true;
  }
  if ((s.starts_with("{}") || s.starts_with("[]")) && OnlyCommentAfter(s.substr(2))) {
    value = s[0] == '{' ? Json::object() : Json::array();
    return true;
  }
  if (!CanStartPlain(s)) return false;
  const PlainEnd plain = ScanPlain(s);
  if (plain.at_colon) return false;  // "a: b: c", or a value ending in ':': libyaml refuses both
  value = PlainValue(Trim(s.substr(0, plain.end)), plain_scalars);
  return true;
}

/// One document's lines, read into its value by recursive descent on indentation.
class DocumentReader {
 public:
  DocumentReader(std::vector<Line>& lines, PlainScalars plain_scalars) : lines_(lines), plain_scalars_(plain_scalars) {}

  /// The document, or nullopt where the reader declines.
  std::optional<Json> Read() {
    Json document;
    if (!Node(document) || next_ != lines_.size()) return std::nullopt;
    return document;
  }

 private:
  /// The block node whose first line is the next one, at that line's indent.
  bool Node(Json& out) {
    const Line& line = lines_[next_];
    return IsSequenceEntry(line.content) ? Sequence(line.indent, out) : Mapping(line.indent, out);
  }

  /// A block sequence whose "- " entries stand at column `indent`.
  bool Sequence(size_t indent, Json& out) {
    if (++depth_ > kMaxDepth) return false;
    out = Json::array();
    while (next_ < lines_.size()) {
      Line& line = lines_[next_];
      if (line.indent > indent) return false;  // a plain scalar going on, or a misplaced line
      if (line.indent < indent || !IsSequenceEntry(line.content)) break;
      Json item;
      const size_t rest = line.content.find_first_not_of(' ', 1);
      if (rest == npos || line.content[rest] == '#') {
        ++next_;
        if (!NodeBelow(indent, false, item)) return false;
      } else {
        line = Line{line.indent + rest, line.content.substr(rest)};
        if (!InlineNode(item)) return false;
      }
      out.push_back(std::move(item));
    }
    --depth_;
    return true;
  }

  /// A block mapping whose keys stand at column `indent`.
  bool Mapping(size_t indent, Json& out) {
    if (++depth_ > kMaxDepth) return false;
    out = Json::object();
    auto& entries = out.get_ref<Json::object_t&>();
    std::string key;
    while (next_ < lines_.size()) {
      const Line line = lines_[next_];
      if (line.indent > indent) return false;
      if (line.indent < indent) break;
      size_t after = 0;
      if (!ReadKey(line.content, key, after) || out.contains(key)) return false;
      const std::string_view rest = line.content.substr(after);
      const size_t value_at = rest.find_first_not_of(' ');
      Json value;
      if (value_at == npos || rest[value_at] == '#') {
        ++next_;
        if (!NodeBelow(indent, true, value)) return false;
      } else {
        if (!ReadInlineValue(rest.substr(value_at), plain_scalars_, value)) return false;
        ++next_;
      }
      entries.emplace_back(std::move(key), std::move(value));
    }
    --depth_;
    return true;
  }

  /// What follows "- " on its line: a compact sequence or mapping, or a value.
  bool InlineNode(Json& out) {
    const std::string_view content = lines_[next_].content;
    std::string key;
    size_t after = 0;
    if (IsSequenceEntry(content) || ReadKey(content, key, after)) return Node(out);
    if (!ReadInlineValue(content, plain_scalars_, out)) return false;
    ++next_;
    return true;
  }

  /// The value of a key or "-" that ends its line: the node on the lines below,
  /// more indented; or, under a key, "- " entries at the key's own column (a
  /// sequence YAML lets stand there); else null.
  bool NodeBelow(size_t indent, bool under_key, Json& out) {
    if (next_ < lines_.size()) {
      const Line& line = lines_[next_];
      if (line.indent > indent) return Node(out);
      if (under_key && line.indent == indent && IsSequenceEntry(line.content)) return Sequence(indent, out);
    }
    out = nullptr;
    return true;
  }

  std::vector<Line>& lines_;
  const PlainScalars plain_scalars_;
  size_t next_ = 0;
  size_t depth_ = 0;
};

bool IsPrintableAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == '\n' || (c >= 0x20 && c < 0x7F); });
}

}  // namespace

std::optional<std::vector<Json>> ReadSimpleBlockYaml(std::string_view text, PlainScalars plain_scalars) {
  if (text.size() > kMaxText || !IsPrintableAscii(text)) return std::nullopt;
  std::vector<Json> documents;
  std::vector<Line> lines;
  // An empty document (nothing but comments) is skipped, as ParseYamlDocuments does.
  auto finish_document = [&]() {
    if (lines.empty()) return true;
    std::optional<Json> document = DocumentReader(lines, plain_scalars).Read();
    if (!document) return false;
    documents.push_back(std::move(*document));
    lines.clear();
    return true;
  };
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (line == "---") {
      if (!finish_document()) return std::nullopt;
      continue;
    }
    // Other document markers ("--- x", "..."), and anything that starts like one.
    if (line.starts_with("---") || line.starts_with("...")) return std::nullopt;
    const size_t indent = line.find_first_not_of(' ');
    if (indent == npos || line[indent] == '#') continue;  // blank, or a comment
    lines.push_back(Line{indent, line.substr(indent)});
  }
  if (!finish_document()) return std::nullopt;
  return documents;
}

}  // namespace llm

#include "output/jsonpath_parser.h"

#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <regex>

#include <fmt/format.h>

#include "util/utf8.h"

namespace llm {

namespace {

using Node = JsonPathNode;
using NodePtr = std::shared_ptr<JsonPathNode>;
constexpr int kEof = -1;

NodePtr NewNode(Node::Kind kind) {
  auto node = std::make_shared<Node>();
  node->kind = kind;
  return node;
}

NodePtr NewLiteral(Node::Kind kind, nlohmann::json value) {
  NodePtr node = NewNode(kind);
  node->literal = std::move(value);
  return node;
}

bool IsSpace(int r) { return r == ' ' || r == '\t'; }
bool IsEndOfLine(int r) { return r == '\r' || r == '\n'; }
bool IsDigit(int r) { return r >= '0' && r <= '9'; }
constexpr int kRuneError = 0xFFFD;  // what Go decodes a byte of invalid UTF-8 to
// Go's unicode.IsLetter for ASCII; every other rune but an invalid byte counts
// as a letter, which is what a template's non-ASCII field names need.
bool IsAlphaNumeric(int r) {
  return r == '_' || IsDigit(r) || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= 0x80 && r != kRuneError);
}
bool IsTerminator(int r) {
  if (IsSpace(r) || IsEndOfLine(r)) return true;
  switch (r) {
    case kEof:
    case '.':
    case ',':
    case '[':
    case ']':
    case '$':
    case '@':
    case '{':
    case '}':
      return true;
    default:
      return false;
  }
}

// Go's %#U: "U+0021 '!'", or "U+0009" for a rune that does not print.
std::string RuneName(int r) {
  if (r >= 0x20 && r < 0x7F) return fmt::format("U+{:04X} '{}'", r, static_cast<char>(r));
  return fmt::format("U+{:04X}", r);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// strconv.UnquoteChar's escapes, through client-go's UnquoteExtend, which
// also accepts single quotes. Every failure is Go's ErrSyntax.
Result<std::string> UnquoteExtend(std::string_view s) {
  const Error syntax(ErrorKind::kUsage, "invalid syntax");
  if (s.size() < 2) return syntax;
  const char quote = s.front();
  if (quote != s.back() || (quote != '"' && quote != '\'')) return syntax;
  s = s.substr(1, s.size() - 2);
  if (s.find('\\') == std::string_view::npos && s.find(quote) == std::string_view::npos) return std::string(s);
  std::string out;
  while (!s.empty()) {
    const char c = s.front();
    if (c == quote) return syntax;
    if (c != '\\') {  // a byte, or a UTF-8 sequence copied as it is
      out += c;
      s.remove_prefix(1);
      continue;
    }
    if (s.size() <= 1) return syntax;
    const char escape = s[1];
    s.remove_prefix(2);
    switch (escape) {
      case 'a':
        out += '\a';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case 'x':
      case 'u':
      case 'U': {
        const size_t digits = escape == 'x' ? 2 : escape == 'u' ? 4 : 8;
        if (s.size() < digits) return syntax;
        uint32_t rune = 0;
        for (size_t i = 0; i < digits; ++i) {
          const int digit = HexValue(s[i]);
          if (digit < 0) return syntax;
          rune = rune << 4 | static_cast<uint32_t>(digit);
        }
        s.remove_prefix(digits);
        if (escape == 'x') {
          out += static_cast<char>(rune);
        } else {
          if (rune > 0x10FFFF || (rune >= 0xD800 && rune < 0xE000)) return syntax;
          AppendUtf8(out, rune);
        }
        break;
      }
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7': {
        if (s.size() < 2) return syntax;
        uint32_t value = static_cast<uint32_t>(escape - '0');
        for (size_t i = 0; i < 2; ++i) {
          if (s[i] < '0' || s[i] > '7') return syntax;
          value = value << 3 | static_cast<uint32_t>(s[i] - '0');
        }
        s.remove_prefix(2);
        if (value > 255) return syntax;
        out += static_cast<char>(value);
        break;
      }
      case '\\':
        out += '\\';
        break;
      case '\'':
      case '"':
        if (escape != quote) return syntax;
        out += escape;
        break;
      default:
        return syntax;
    }
  }
  return out;
}

// strconv.Atoi: an optional sign and decimal digits that fit in 64 bits.
bool ParseGoInt(std::string_view text, int64_t& value) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty() || text == "-") return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size();
}

// strconv.ParseFloat for what parseNumber collects (a sign, digits, dots).
bool ParseGoFloat(std::string_view text, double& value) {
  std::string_view body = text;
  if (!body.empty() && (body.front() == '+' || body.front() == '-')) body.remove_prefix(1);
  size_t digits = 0;
  size_t dots = 0;
  for (char c : body) {
    if (IsDigit(c)) ++digits;
    if (c == '.') ++dots;
  }
  if (digits == 0 || dots > 1) return false;
  value = std::strtod(std::string(text).c_str(), nullptr);
  return true;
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t begin = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == separator) {
      parts.push_back(text.substr(begin, i - begin));
      begin = i + 1;
    }
  }
  return parts;
}

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

// client-go's Parser, step for step (its recursion through parseInsideAction
// is a loop here), so every template parses to the same tree and fails with
// the same message.
class Parser {
 public:
  explicit Parser(std::string input) : input_(std::move(input)) {}

  Result<NodePtr> Parse() {
    root_ = NewNode(Node::Kind::kList);
    LLM_RETURN_IF_ERROR(ParseText());
    return root_;
  }

 private:
  Error Fail(std::string message) const { return Error(ErrorKind::kUsage, std::move(message)); }

  int Next() {
    if (pos_ >= input_.size()) {
      width_ = 0;
      return kEof;
    }
    char32_t rune = 0;
    width_ = Utf8SequenceLength(input_, pos_, &rune);
    if (width_ == 0) {
      width_ = 1;
      rune = kRuneError;
    }
    pos_ += width_;
    return static_cast<int>(rune);
  }
  int Peek() {
    const int r = Next();
    Backup();
    return r;
  }
  void Backup() { pos_ -= width_; }
  std::string ConsumeText() {
    std::string value(input_.substr(start_, pos_ - start_));
    start_ = pos_;
    return value;
  }
  bool AtPrefix(std::string_view prefix) const { return std::string_view(input_).substr(pos_).starts_with(prefix); }

  // Texts and actions at the top level, until the end of the input.
  Status ParseText() {
    while (true) {
      if (AtPrefix("{")) {
        if (pos_ > start_) root_->nodes.push_back(NewLiteral(Node::Kind::kText, ConsumeText()));
        pos_ += 1;
        ConsumeText();
        NodePtr action = NewNode(Node::Kind::kList);
        root_->nodes.push_back(action);
        LLM_RETURN_IF_ERROR(ParseInsideAction(*action));
        continue;
      }
      if (Next() == kEof) break;
    }
    if (pos_ > start_) root_->nodes.push_back(NewLiteral(Node::Kind::kText, ConsumeText()));
    return Ok();
  }

  // The steps of one action, through its closing brace.
  Status ParseInsideAction(Node& cur) {
    while (true) {
      if (AtPrefix("}")) {
        pos_ += 1;
        ConsumeText();
        return Ok();
      }
      if (AtPrefix("[?(")) {
        LLM_RETURN_IF_ERROR(ParseFilter(cur));
        continue;
      }
      if (AtPrefix("..")) {
        LLM_RETURN_IF_ERROR(ParseRecursive(cur));
        continue;
      }
      const int r = Next();
      if (r == kEof || IsEndOfLine(r)) return Fail("unclosed action");
      if (r == ' ' || r == '@' || r == '$') {
        ConsumeText();
      } else if (r == '[') {
        LLM_RETURN_IF_ERROR(ParseArray(cur));
      } else if (r == '"' || r == '\'') {
        LLM_RETURN_IF_ERROR(ParseQuote(cur, r));
      } else if (r == '.') {
        ParseField(cur);
      } else if (r == '+' || r == '-' || IsDigit(r)) {
        Backup();
        LLM_RETURN_IF_ERROR(ParseNumber(cur));
      } else if (IsAlphaNumeric(r)) {
        Backup();
        ParseIdentifier(cur);
      } else {
        return Fail(fmt::format("unrecognized character in action: {}", RuneName(r)));
      }
    }
  }

  void ParseIdentifier(Node& cur) {
    while (!IsTerminator(Next())) {
    }
    Backup();
    std::string value = ConsumeText();
    if (value == "true" || value == "false") {
      cur.nodes.push_back(NewLiteral(Node::Kind::kBool, value == "true"));
    } else {
      NodePtr node = NewNode(Node::Kind::kIdentifier);
      node->name = std::move(value);
      cur.nodes.push_back(node);
    }
  }

  Status ParseRecursive(Node& cur) {
    if (!cur.nodes.empty() && cur.nodes.back()->kind == Node::Kind::kRecursive) {
      return Fail("invalid multiple recursive descent");
    }
    pos_ += 2;
    ConsumeText();
    cur.nodes.push_back(NewNode(Node::Kind::kRecursive));
    if (IsAlphaNumeric(Peek())) ParseField(cur);
    return Ok();
  }

  Status ParseNumber(Node& cur) {
    const int sign = Peek();
    if (sign == '+' || sign == '-') Next();
    while (true) {
      const int r = Next();
      if (r != '.' && !IsDigit(r)) {
        Backup();
        break;
      }
    }
    const std::string value = ConsumeText();
    int64_t integer = 0;
    double real = 0;
    if (ParseGoInt(value, integer)) {
      cur.nodes.push_back(NewLiteral(Node::Kind::kInt, integer));
    } else if (ParseGoFloat(value, real)) {
      cur.nodes.push_back(NewLiteral(Node::Kind::kFloat, real));
    } else {
      return Fail(fmt::format("cannot parse number {}", value));
    }
    return Ok();
  }

  // An action's text parsed on its own, as client-go's parseAction does for
  // union members, quoted keys and the two sides of a filter.
  static Result<NodePtr> ParseAction(std::string_view text) {
    Parser parser(fmt::format("{{{}}}", text));
    LLM_ASSIGN_OR_RETURN(NodePtr root, parser.Parse());
    return root->nodes.front();
  }

  Status ParseArray(Node& cur) {
    while (true) {
      const int r = Next();
      if (r == kEof || r == '\n') return Fail("unterminated array");
      if (r == ']') break;
    }
    std::string text = ConsumeText();
    text = text.substr(1, text.size() - 2);
    if (text == "*") text = ":";

    const std::vector<std::string_view> members = Split(text, ',');
    if (members.size() > 1) {
      NodePtr node = NewNode(Node::Kind::kUnion);
      for (std::string_view member : members) {
        LLM_ASSIGN_OR_RETURN(NodePtr list, ParseAction(fmt::format("[{}]", TrimSpaces(member))));
        node->nodes.push_back(list);
      }
      cur.nodes.push_back(node);
      return Ok();
    }

    static const std::regex kDictKey("^'([^']*)'$");
    std::smatch key;
    if (std::regex_match(text, key, kDictKey)) {
      LLM_ASSIGN_OR_RETURN(NodePtr list, ParseAction("." + key[1].str()));
      for (const NodePtr& step : list->nodes) cur.nodes.push_back(step);
      return Ok();
    }

    static const std::regex kSlice("^(-?[0-9]*)(:-?[0-9]*)?(:-?[0-9]*)?$");
    std::smatch slice;
    if (!std::regex_match(text, slice, kSlice)) return Fail(fmt::format("invalid array index {}", text));
    NodePtr node = NewNode(Node::Kind::kArray);
    for (size_t i = 0; i < 3; ++i) {
      std::string value = slice[i + 1].str();
      Node::SliceParam& param = node->params[i];
      if (!value.empty()) {
        if (i > 0) value.erase(0, 1);
        if (i > 0 && value.empty()) {
          param.known = false;
        } else {
          param.known = true;
          if (!ParseGoInt(value, param.value)) return Fail(fmt::format("array index {} is not a number", value));
        }
      } else if (i == 1) {
        param.known = true;
        param.value = node->params[0].value + 1;
        param.derived = true;
      }
    }
    cur.nodes.push_back(node);
    return Ok();
  }

  Status ParseFilter(Node& cur) {
    pos_ += 3;
    ConsumeText();
    bool begin = false;
    bool end = false;
    int pair = 0;
    while (true) {
      const int r = Next();
      if (r == kEof || r == '\n') return Fail("unterminated filter");
      if (r == '"' || r == '\'') {
        if (!begin) {
          begin = true;
          pair = r;
          continue;
        }
        if (input_[pos_ - 2] != '\\' && r == pair) end = true;
      } else if (r == ')' && begin == end) {
        break;
      }
    }
    if (Next() != ']') return Fail("unclosed array expect ]");
    std::string text = ConsumeText();
    text = text.substr(0, text.size() - 2);

    static const std::regex kComparison("^([^!<>=]+)([!<>=]+)(.+?)$");
    std::smatch comparison;
    NodePtr node = NewNode(Node::Kind::kFilter);
    if (!std::regex_match(text, comparison, kComparison)) {
      LLM_ASSIGN_OR_RETURN(NodePtr left, ParseAction(text));
      node->nodes = {left, NewNode(Node::Kind::kList)};
      node->name = "exists";
    } else {
      LLM_ASSIGN_OR_RETURN(NodePtr left, ParseAction(comparison[1].str()));
      LLM_ASSIGN_OR_RETURN(NodePtr right, ParseAction(comparison[3].str()));
      node->nodes = {left, right};
      node->name = comparison[2].str();
    }
    cur.nodes.push_back(node);
    return Ok();
  }

  Status ParseQuote(Node& cur, int end) {
    while (true) {
      const int r = Next();
      if (r == kEof || r == '\n') return Fail("unterminated quoted string");
      if (r == end && input_[pos_ - 2] != '\\') break;
    }
    const std::string value = ConsumeText();
    auto text = UnquoteExtend(value);
    if (!text.ok()) return Fail(fmt::format("unquote string {} error {}", value, text.error().message()));
    cur.nodes.push_back(NewLiteral(Node::Kind::kText, *text));
    return Ok();
  }

  void ParseField(Node& cur) {
    ConsumeText();
    while (Advance()) {
    }
    std::string value = ConsumeText();
    if (value == "*") {
      cur.nodes.push_back(NewNode(Node::Kind::kWildcard));
      return;
    }
    NodePtr node = NewNode(Node::Kind::kField);
    for (char c : value) {
      if (c != '\\') node->name += c;
    }
    cur.nodes.push_back(node);
  }

  bool Advance() {
    const int r = Next();
    if (r == '\\') {
      Next();
    } else if (IsTerminator(r)) {
      Backup();
      return false;
    }
    return true;
  }

  std::string input_;
  size_t pos_ = 0;
  size_t start_ = 0;
  size_t width_ = 0;
  NodePtr root_;
};

}  // namespace

Result<std::shared_ptr<JsonPathNode>> ParseJsonPathTree(std::string_view text) {
  Parser parser{std::string(text)};
  return parser.Parse();
}

}  // namespace llm

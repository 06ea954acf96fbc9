#include "output/jsonpath.h"

#include <array>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <regex>
#include <span>

#include <fmt/format.h>

#include "output/go_value_text.h"
#include "util/utf8.h"

namespace llm {

// client-go's node tree: an action ({...}) is a list of steps; the template
// is a list of texts and actions.
struct JsonPathNode {
  enum class Kind {
    kText,
    kList,
    kField,
    kIdentifier,
    kArray,
    kFilter,
    kInt,
    kFloat,
    kBool,
    kWildcard,
    kRecursive,
    kUnion
  };
  struct SliceParam {
    int64_t value = 0;
    bool known = false;
    bool derived = false;  ///< the end of [n], which is n+1
  };

  Kind kind;
  std::string name;                                  ///< field or identifier name, filter operator
  nlohmann::json literal;                            ///< text, int, float or bool
  std::array<SliceParam, 3> params{};                ///< start, end, step
  std::vector<std::shared_ptr<JsonPathNode>> nodes;  ///< a list's steps; a union's lists; a filter's left and right
};

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

// A value as the evaluator holds it: a JSON value, and which Go type it has
// where that shows (literals of the template are `int`, a string's elements
// `uint8`, data numbers `int64`/`float64`). `json == nullptr` is Go's invalid
// reflect.Value, what the body of a range over nothing or over a null sees.
enum class GoType { kData, kTemplateInt, kByte };
struct Value {
  const nlohmann::json* json = nullptr;
  GoType type = GoType::kData;
};

bool IsNil(const Value& value) { return value.json != nullptr && value.json->is_null(); }

std::string GoTypeName(const Value& value) {
  if (value.type == GoType::kTemplateInt) return "int";
  if (value.type == GoType::kByte) return "uint8";
  switch (value.json->type()) {
    case nlohmann::json::value_t::object:
      return "map[string]interface {}";
    case nlohmann::json::value_t::array:
      return "[]interface {}";
    case nlohmann::json::value_t::string:
      return "string";
    case nlohmann::json::value_t::boolean:
      return "bool";
    case nlohmann::json::value_t::number_float:
      return "float64";
    default:
      return "int64";
  }
}

// fmt's %v of a reflect.Value, for error messages.
std::string GoValueText(const Value& value) {
  if (value.json == nullptr) return "<invalid reflect.Value>";
  return GoSprint(*value.json);
}

// text/template's comparison kinds (third_party/forked/golang/template).
enum class CompareKind { kInvalid, kBool, kInt, kUint, kFloat, kString };

CompareKind KindOf(const Value& value) {
  if (value.type == GoType::kTemplateInt) return CompareKind::kInt;
  if (value.type == GoType::kByte) return CompareKind::kUint;
  if (value.json == nullptr) return CompareKind::kInvalid;
  switch (value.json->type()) {
    case nlohmann::json::value_t::boolean:
      return CompareKind::kBool;
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
      return CompareKind::kInt;
    case nlohmann::json::value_t::number_float:
      return CompareKind::kFloat;
    case nlohmann::json::value_t::string:
      return CompareKind::kString;
    default:
      return CompareKind::kInvalid;
  }
}

const Error kBadComparisonType(ErrorKind::kUsage, "invalid type for comparison");
const Error kBadComparison(ErrorKind::kUsage, "incompatible types for comparison");

// text/template's Equal and Less (third_party/forked/golang/template) as one
// three-way comparison: -1, 0 or 1 (1 also for a NaN, which is neither less
// nor equal). Booleans compare only for equality; an int and a uint compare by
// value; any other mix of kinds is an error.
Result<int> GoCompare(const Value& a, const Value& b, bool equality_only) {
  const CompareKind ka = KindOf(a);
  const CompareKind kb = KindOf(b);
  if (ka == CompareKind::kInvalid || kb == CompareKind::kInvalid) return kBadComparisonType;
  const nlohmann::json& x = *a.json;
  const nlohmann::json& y = *b.json;
  const auto three_way = [](const auto& l, const auto& r) { return l < r ? -1 : l == r ? 0 : 1; };
  if (ka != kb) {
    if (ka == CompareKind::kInt && kb == CompareKind::kUint) {
      return x.get<int64_t>() < 0 ? -1 : three_way(x.get<uint64_t>(), y.get<uint64_t>());
    }
    if (ka == CompareKind::kUint && kb == CompareKind::kInt) {
      return y.get<int64_t>() < 0 ? 1 : three_way(x.get<uint64_t>(), y.get<uint64_t>());
    }
    return kBadComparison;
  }
  switch (ka) {
    case CompareKind::kBool:
      if (!equality_only) return kBadComparisonType;
      return x.get<bool>() == y.get<bool>() ? 0 : 1;
    case CompareKind::kInt:
      return three_way(x.get<int64_t>(), y.get<int64_t>());
    case CompareKind::kUint:
      return three_way(x.get<uint64_t>(), y.get<uint64_t>());
    case CompareKind::kFloat:
      return three_way(x.get<double>(), y.get<double>());
    default:
      return three_way(x.get_ref<const std::string&>(), y.get_ref<const std::string&>());
  }
}

Result<bool> Compare(const std::string& op, const Value& left, const Value& right) {
  if (op != "==" && op != "!=" && op != "<" && op != "<=" && op != ">" && op != ">=") {
    return Error(ErrorKind::kUsage, fmt::format("unrecognized filter operator {}", op));
  }
  LLM_ASSIGN_OR_RETURN(int order, GoCompare(left, right, op == "==" || op == "!="));
  if (op == "==") return order == 0;
  if (op == "!=") return order != 0;
  if (op == "<") return order < 0;
  if (op == "<=") return order <= 0;
  if (op == ">") return order > 0;
  return order >= 0;
}

using Results = std::vector<Value>;

// client-go's JSONPath evaluation, with its range bookkeeping.
class Evaluator {
 public:
  explicit Evaluator(bool allow_missing_keys) : allow_missing_keys_(allow_missing_keys) {}

  Result<std::vector<Results>> FindResults(Value data, std::span<const NodePtr> nodes) {
    const Results cur = {data};
    std::vector<Results> full;
    for (size_t i = 0; i < nodes.size(); ++i) {
      LLM_ASSIGN_OR_RETURN(Results results, Walk(cur, *nodes[i]));
      if (end_range_ > 0 && end_range_ <= in_range_) {  // an {end}: this block is done
        --end_range_;
        last_end_node_ = &nodes[i];
        break;
      }
      if (begin_range_ > 0) {  // a {range}: the nodes after it, once per result
        --begin_range_;
        ++in_range_;
        const std::span<const NodePtr> body = nodes.subspan(i + 1);
        if (!results.empty()) {
          for (const Value& value : results) {
            // Go passes value.Interface() on, which turns a null into no value at all.
            Value item = IsNil(value) ? Value{} : value;
            LLM_ASSIGN_OR_RETURN(std::vector<Results> inner, FindResults(item, body));
            for (Results& r : inner) full.push_back(std::move(r));
          }
        } else {  // still walked once, to find where the range ends
          LLM_RETURN_IF_ERROR(FindResults(Value{}, body));
        }
        --in_range_;
        for (size_t k = i + 1; k < nodes.size(); ++k) {
          if (&nodes[k] == last_end_node_) {
            i = k;
            break;
          }
        }
        continue;
      }
      full.push_back(std::move(results));
    }
    return full;
  }

 private:
  Result<Results> Walk(const Results& input, const Node& node) {
    switch (node.kind) {
      case Node::Kind::kList:
        return EvalList(input, node);
      case Node::Kind::kText:
        return Results{Value{&node.literal}};
      case Node::Kind::kField:
        return EvalField(input, node);
      case Node::Kind::kArray:
        return EvalArray(input, node);
      case Node::Kind::kFilter:
        return EvalFilter(input, node);
      case Node::Kind::kInt:
      case Node::Kind::kFloat:
      case Node::Kind::kBool:
        return Results(input.size(),
                       Value{&node.literal, node.kind == Node::Kind::kInt ? GoType::kTemplateInt : GoType::kData});
      case Node::Kind::kWildcard:
        return EvalWildcard(input);
      case Node::Kind::kRecursive:
        return EvalRecursive(input);
      case Node::Kind::kUnion:
        return EvalUnion(input, node);
      case Node::Kind::kIdentifier:
        return EvalIdentifier(input, node);
    }
    return Error(ErrorKind::kInternal, "unexpected JSONPath node");
  }

  Result<Results> EvalList(const Results& input, const Node& list) {
    Results cur = input;
    for (const NodePtr& node : list.nodes) {
      LLM_ASSIGN_OR_RETURN(cur, Walk(cur, *node));
    }
    return cur;
  }

  Result<Results> EvalIdentifier(const Results& input, const Node& node) {
    if (node.name == "range") {
      ++begin_range_;
      return input;
    }
    if (node.name == "end") {
      if (in_range_ == 0) return Error(ErrorKind::kUsage, "not in range, nothing to end");
      ++end_range_;
      return Results{};
    }
    return Error(ErrorKind::kUsage, fmt::format("unrecognized identifier {}", node.name));
  }

  Result<Results> EvalArray(const Results& input, const Node& node) {
    Results result;
    for (const Value& value : input) {
      if (IsNil(value)) continue;
      if (value.json == nullptr || value.type != GoType::kData || !value.json->is_array()) {
        return Error(ErrorKind::kUsage,
                     fmt::format("{} is not array or slice", value.json == nullptr ? "<nil>" : GoTypeName(value)));
      }
      const auto length = static_cast<int64_t>(value.json->size());
      std::array<Node::SliceParam, 3> params = node.params;
      if (!params[0].known) params[0].value = 0;
      if (params[0].value < 0) params[0].value += length;
      if (!params[1].known) params[1].value = length;
      if (params[1].value < 0 || (params[1].value == 0 && params[1].derived)) params[1].value += length;
      if (params[1].value == params[0].value) return result;  // zero elements asked for: client-go stops here
      if (params[0].value >= length || params[0].value < 0) {
        return OutOfBounds(params[0].value, length);
      }
      if (params[1].value > length || params[1].value < 0) {
        return OutOfBounds(params[1].value - 1, length);
      }
      if (params[0].value > params[1].value) {
        return Error(ErrorKind::kUsage, fmt::format("starting index {} is greater than ending index {}",
                                                    params[0].value, params[1].value));
      }
      int64_t step = 1;
      if (params[2].known) {
        if (params[2].value <= 0) return Error(ErrorKind::kUsage, "step must be > 0");
        step = params[2].value;
      }
      for (int64_t i = params[0].value; i < params[1].value; i += step) {
        result.push_back(Value{&(*value.json)[static_cast<size_t>(i)]});
      }
    }
    return result;
  }

  static Error OutOfBounds(int64_t index, int64_t length) {
    return Error(ErrorKind::kUsage, fmt::format("array index out of bounds: index {}, length {}", index, length));
  }

  Result<Results> EvalUnion(const Results& input, const Node& node) {
    Results result;
    for (const NodePtr& list : node.nodes) {
      LLM_ASSIGN_OR_RETURN(Results part, EvalList(input, *list));
      result.insert(result.end(), part.begin(), part.end());
    }
    return result;
  }

  Result<Results> EvalField(const Results& input, const Node& node) {
    Results results;
    if (input.empty()) return results;
    for (const Value& value : input) {
      if (value.json == nullptr || value.type != GoType::kData || !value.json->is_object()) continue;
      auto it = value.json->find(node.name);
      if (it != value.json->end()) results.push_back(Value{&*it});
    }
    if (results.empty() && !allow_missing_keys_) {
      return Error(ErrorKind::kUsage, fmt::format("{} is not found", node.name));
    }
    return results;
  }

  // A value's elements as Go's reflection lists them: a map's values (Go in
  // random order, here by key), a list's items, a string's bytes.
  Results Children(const Value& value) {
    Results children;
    if (value.json == nullptr || value.type != GoType::kData) return children;
    if (value.json->is_object() || value.json->is_array()) {
      for (const nlohmann::json& child : *value.json) children.push_back(Value{&child});
    } else if (value.json->is_string()) {
      for (unsigned char byte : value.json->get_ref<const std::string&>()) {
        owned_.emplace_back(byte);
        children.push_back(Value{&owned_.back(), GoType::kByte});
      }
    }
    return children;
  }

  Results EvalWildcard(const Results& input) {
    Results results;
    for (const Value& value : input) {
      Results children = Children(value);
      results.insert(results.end(), children.begin(), children.end());
    }
    return results;
  }

  Results EvalRecursive(const Results& input) {
    Results result;
    for (const Value& value : input) {
      Results children = Children(value);
      if (children.empty()) continue;
      result.push_back(value);
      Results below = EvalRecursive(children);
      result.insert(result.end(), below.begin(), below.end());
    }
    return result;
  }

  Result<Results> EvalFilter(const Results& input, const Node& node) {
    Results results;
    const Node& left_list = *node.nodes[0];
    const Node& right_list = *node.nodes[1];
    for (const Value& value : input) {
      if (value.json == nullptr || value.type != GoType::kData || !value.json->is_array()) {
        return Error(ErrorKind::kUsage,
                     fmt::format("{} is not array or slice and cannot be filtered", GoValueText(value)));
      }
      for (const nlohmann::json& element : *value.json) {
        const Results item = {Value{&element}};
        auto lefts = EvalList(item, left_list);
        if (node.name == "exists") {  // client-go ignores the error here: a missing key is just absent
          if (lefts.ok() && !lefts->empty()) results.push_back(item.front());
          continue;
        }
        if (!lefts.ok()) return lefts.error();
        if (lefts->empty()) continue;
        if (lefts->size() > 1) return Error(ErrorKind::kUsage, "can only compare one element at a time");
        LLM_ASSIGN_OR_RETURN(Results rights, EvalList(item, right_list));
        if (rights.empty()) continue;
        if (rights.size() > 1) return Error(ErrorKind::kUsage, "can only compare one element at a time");
        LLM_ASSIGN_OR_RETURN(bool pass, Compare(node.name, lefts->front(), rights.front()));
        if (pass) results.push_back(item.front());
      }
    }
    return results;
  }

  bool allow_missing_keys_;
  int begin_range_ = 0;
  int in_range_ = 0;
  int end_range_ = 0;
  const NodePtr* last_end_node_ = nullptr;
  std::deque<nlohmann::json> owned_;  ///< a string's bytes, which no JSON value holds
};

// PrintResults: maps and lists as compact JSON, the rest as fmt prints them,
// separated by single spaces.
std::string PrintResults(const Results& results) {
  std::string out;
  for (size_t i = 0; i < results.size(); ++i) {
    const Value& value = results[i];
    if (value.json == nullptr) {
      out += "<no value>";
    } else if (value.json->is_object() || value.json->is_array()) {
      out += GoJsonMarshal(*value.json);
    } else if (value.json->is_null()) {
      out += "null";
    } else {
      out += GoSprint(*value.json);
    }
    if (i + 1 != results.size()) out += ' ';
  }
  return out;
}

}  // namespace

Result<JsonPath> JsonPath::Parse(std::string_view text) {
  Parser parser{std::string(text)};
  LLM_ASSIGN_OR_RETURN(NodePtr root, parser.Parse());
  return JsonPath(std::string(text), std::move(root));
}

Result<std::string> JsonPath::Execute(const nlohmann::json& data, bool allow_missing_keys) const {
  Evaluator evaluator(allow_missing_keys);
  LLM_ASSIGN_OR_RETURN(std::vector<Results> all, evaluator.FindResults(Value{&data}, root_->nodes));
  std::string out;
  for (const Results& results : all) out += PrintResults(results);
  return out;
}

Result<std::vector<std::string>> JsonPath::FindValueTexts(const nlohmann::json& data) const {
  Evaluator evaluator(/*allow_missing_keys=*/true);
  LLM_ASSIGN_OR_RETURN(std::vector<Results> all, evaluator.FindResults(Value{&data}, root_->nodes));
  std::vector<std::string> texts;
  for (const Results& results : all) {
    for (const Value& value : results) texts.push_back(value.json == nullptr ? "<nil>" : GoSprint(*value.json));
  }
  return texts;
}

}  // namespace llm

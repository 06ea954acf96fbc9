#include "kube/label_selector.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include <fmt/format.h>

namespace llm {
namespace {

bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

/// A qualified-name part: alphanumerics with '-', '_', '.' inside.
std::string NamePartProblem(std::string_view name, std::string_view what) {
  if (name.empty()) return fmt::format("{} must not be empty", what);
  if (name.size() > 63) return fmt::format("{} must be at most 63 characters", what);
  if (!IsAlnum(name.front()) || !IsAlnum(name.back())) {
    return fmt::format("{} must begin and end with a letter or digit", what);
  }
  for (char c : name) {
    if (!IsAlnum(c) && c != '-' && c != '_' && c != '.') {
      return fmt::format("{} may contain only letters, digits, '-', '_' and '.'", what);
    }
  }
  return "";
}

std::string DnsSubdomainProblem(std::string_view prefix) {
  if (prefix.empty() || prefix.size() > 253) return "prefix must be a DNS subdomain of 1 to 253 characters";
  for (char c : prefix) {
    const bool ok = (std::islower(static_cast<unsigned char>(c)) != 0) ||
                    (std::isdigit(static_cast<unsigned char>(c)) != 0) || c == '-' || c == '.';
    if (!ok) return "prefix must be a lowercase DNS subdomain";
  }
  if (!IsAlnum(prefix.front()) || !IsAlnum(prefix.back())) return "prefix must begin and end with a letter or digit";
  return "";
}

/// A character-level reader over the selector text. Whitespace separates
/// tokens and is otherwise ignored, as in apimachinery's lexer.
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  void SkipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_])) != 0) ++pos_;
  }
  bool AtEnd() {
    SkipSpace();
    return pos_ >= text_.size();
  }
  char Peek() {
    SkipSpace();
    return pos_ < text_.size() ? text_[pos_] : '\0';
  }
  bool Consume(std::string_view token) {
    SkipSpace();
    if (!text_.substr(pos_).starts_with(token)) return false;
    pos_ += token.size();
    return true;
  }
  /// A word: anything up to whitespace or an operator character.
  std::string Word() {
    SkipSpace();
    const std::size_t start = pos_;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (std::isspace(static_cast<unsigned char>(c)) != 0 || c == ',' || c == '=' || c == '!' || c == '(' ||
          c == ')' || c == '<' || c == '>') {
        break;
      }
      ++pos_;
    }
    return std::string(text_.substr(start, pos_ - start));
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string LabelKeyProblem(std::string_view key) {
  const std::size_t slash = key.find('/');
  if (slash == std::string_view::npos) return NamePartProblem(key, "name");
  if (std::string p = DnsSubdomainProblem(key.substr(0, slash)); !p.empty()) return p;
  return NamePartProblem(key.substr(slash + 1), "name");
}

std::string LabelValueProblem(std::string_view value) {
  if (value.empty()) return "";
  return NamePartProblem(value, "value");
}

Result<LabelSelector> LabelSelector::Parse(std::string_view text, std::string_view flag) {
  auto bad = [&](const std::string& why) {
    return Error(ErrorKind::kUsage,
                 fmt::format("invalid {} \"{}\": {}; accepted: key, !key, key=value, key==value, key!=value, "
                             "key in (v1,v2), key notin (v1,v2), key>N, key<N, joined by commas",
                             flag, text, why));
  };
  LabelSelector selector;
  Reader r(text);
  if (r.AtEnd()) return selector;
  while (true) {
    LabelRequirement req;
    const bool negated = r.Consume("!");
    req.key = r.Word();
    if (req.key.empty()) return bad("expected a label key");
    if (std::string p = LabelKeyProblem(req.key); !p.empty()) {
      return bad(fmt::format("key \"{}\": {}", req.key, p));
    }
    if (negated) {
      req.op = LabelRequirement::Op::kDoesNotExist;
    } else if (r.Consume("==") || r.Consume("=")) {
      req.op = LabelRequirement::Op::kEquals;
      req.values.push_back(r.Word());
    } else if (r.Consume("!=")) {
      req.op = LabelRequirement::Op::kNotEquals;
      req.values.push_back(r.Word());
    } else if (r.Peek() == '>' || r.Peek() == '<') {
      req.op = r.Consume(">") ? LabelRequirement::Op::kGreaterThan : (r.Consume("<"), LabelRequirement::Op::kLessThan);
      const std::string bound = r.Word();
      const bool integer = !bound.empty() && bound.size() <= 18 && std::all_of(bound.begin(), bound.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) != 0;
      });
      if (!integer) return bad(fmt::format("\"{}\" needs a non-negative integer after > or <", req.key));
      req.values.push_back(bound);
    } else {
      const char next = r.Peek();
      if (next == ',' || next == '\0') {
        req.op = LabelRequirement::Op::kExists;
      } else {
        const std::string word = r.Word();
        if (word == "in" || word == "notin") {
          req.op = word == "in" ? LabelRequirement::Op::kIn : LabelRequirement::Op::kNotIn;
          if (!r.Consume("(")) return bad(fmt::format("expected '(' after \"{}\"", word));
          if (r.Peek() != ')') {
            while (true) {
              req.values.push_back(r.Word());
              if (r.Consume(")")) break;
              if (!r.Consume(",")) return bad(fmt::format("expected ',' or ')' in the values of \"{}\"", req.key));
            }
          } else {
            r.Consume(")");
          }
          if (req.values.empty()) return bad(fmt::format("\"{}\" needs at least one value", req.key));
        } else {
          return bad(
              fmt::format("unexpected \"{}\" after key \"{}\"", word.empty() ? std::string(1, next) : word, req.key));
        }
      }
    }
    for (const std::string& v : req.values) {
      if (std::string p = LabelValueProblem(v); !p.empty()) return bad(fmt::format("value \"{}\": {}", v, p));
    }
    std::sort(req.values.begin(), req.values.end());
    req.values.erase(std::unique(req.values.begin(), req.values.end()), req.values.end());
    selector.requirements_.push_back(std::move(req));
    if (r.AtEnd()) break;
    if (!r.Consume(","))
      return bad(fmt::format("expected ',' after the requirement on \"{}\"", selector.requirements_.back().key));
    if (r.AtEnd()) return bad("trailing ','");
  }
  return selector;
}

Result<LabelSelector> LabelSelector::FromApi(const nlohmann::json& selector, std::string_view field) {
  const auto bad = [&](const std::string& why) {
    return Error(ErrorKind::kInvalidInput, fmt::format("{}: {}", field, why));
  };
  if (!selector.is_object()) return bad("not a label selector");
  LabelSelector out;
  const auto add = [&](std::string key, LabelRequirement::Op op, std::vector<std::string> values) -> Status {
    if (std::string problem = LabelKeyProblem(key); !problem.empty()) return bad(problem);
    for (const std::string& v : values) {
      if (std::string problem = LabelValueProblem(v); !problem.empty()) return bad(problem);
    }
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    out.requirements_.push_back({std::move(key), op, std::move(values)});
    return Ok();
  };
  if (const auto it = selector.find("matchLabels"); it != selector.end() && !it->is_null()) {
    if (!it->is_object()) return bad("matchLabels is not a map");
    for (const auto& [key, value] : it->items()) {
      if (!value.is_string()) return bad(fmt::format("matchLabels.{} is not a string", key));
      LLM_RETURN_IF_ERROR(add(key, LabelRequirement::Op::kEquals, {value.get<std::string>()}));
    }
  }
  if (const auto it = selector.find("matchExpressions"); it != selector.end() && !it->is_null()) {
    if (!it->is_array()) return bad("matchExpressions is not a list");
    static const std::map<std::string, LabelRequirement::Op, std::less<>> kOps = {
        {"In", LabelRequirement::Op::kIn},
        {"NotIn", LabelRequirement::Op::kNotIn},
        {"Exists", LabelRequirement::Op::kExists},
        {"DoesNotExist", LabelRequirement::Op::kDoesNotExist}};
    for (const nlohmann::json& expr : *it) {
      const nlohmann::json key = expr.is_object() ? expr.value("key", nlohmann::json()) : nlohmann::json();
      const nlohmann::json op = expr.is_object() ? expr.value("operator", nlohmann::json()) : nlohmann::json();
      const auto found = op.is_string() ? kOps.find(op.get<std::string>()) : kOps.end();
      if (!key.is_string() || found == kOps.end()) {
        return bad("a matchExpression needs a key and an operator In, NotIn, Exists or DoesNotExist");
      }
      std::vector<std::string> values;
      for (const nlohmann::json& v : expr.value("values", nlohmann::json::array())) {
        if (!v.is_string()) return bad("matchExpression values must be strings");
        values.push_back(v.get<std::string>());
      }
      LLM_RETURN_IF_ERROR(add(key.get<std::string>(), found->second, std::move(values)));
    }
  }
  return out;
}

namespace {

bool Holds(const LabelRequirement& req, const std::map<std::string, std::string>& labels) {
  const auto it = labels.find(req.key);
  const bool has = it != labels.end();
  auto in_values = [&] { return has && std::binary_search(req.values.begin(), req.values.end(), it->second); };
  bool ok = false;
  switch (req.op) {
    case LabelRequirement::Op::kEquals:
    case LabelRequirement::Op::kIn:
      ok = in_values();
      break;
    case LabelRequirement::Op::kNotEquals:
    case LabelRequirement::Op::kNotIn:
      ok = !in_values();
      break;
    case LabelRequirement::Op::kExists:
      ok = has;
      break;
    case LabelRequirement::Op::kDoesNotExist:
      ok = !has;
      break;
    case LabelRequirement::Op::kGreaterThan:
    case LabelRequirement::Op::kLessThan: {
      if (!has) break;
      char* end = nullptr;
      const long long actual = std::strtoll(it->second.c_str(), &end, 10);
      if (it->second.empty() || *end != '\0') break;
      const long long bound = std::stoll(req.values.front());
      ok = req.op == LabelRequirement::Op::kGreaterThan ? actual > bound : actual < bound;
      break;
    }
  }
  return ok;
}

std::string RequirementText(const LabelRequirement& req) {
  std::string values;
  for (const std::string& v : req.values) values += (values.empty() ? "" : ",") + v;
  switch (req.op) {
    case LabelRequirement::Op::kEquals:
      return req.key + "=" + values;
    case LabelRequirement::Op::kNotEquals:
      return req.key + "!=" + values;
    case LabelRequirement::Op::kIn:
      return req.key + " in (" + values + ")";
    case LabelRequirement::Op::kNotIn:
      return req.key + " notin (" + values + ")";
    case LabelRequirement::Op::kExists:
      return req.key;
    case LabelRequirement::Op::kDoesNotExist:
      return "!" + req.key;
    case LabelRequirement::Op::kGreaterThan:
      return req.key + ">" + values;
    case LabelRequirement::Op::kLessThan:
      return req.key + "<" + values;
  }
  return req.key;
}

}  // namespace

bool LabelSelector::Matches(const std::map<std::string, std::string>& labels) const {
  return std::all_of(requirements_.begin(), requirements_.end(),
                     [&](const LabelRequirement& req) { return Holds(req, labels); });
}

std::vector<std::string> LabelSelector::Unmet(const std::map<std::string, std::string>& labels) const {
  std::vector<std::string> unmet;
  for (const LabelRequirement& req : requirements_) {
    if (!Holds(req, labels)) unmet.push_back(RequirementText(req));
  }
  return unmet;
}

std::string LabelSelector::String() const {
  std::string out;
  for (const LabelRequirement& req : requirements_) {
    if (!out.empty()) out += ',';
    out += RequirementText(req);
  }
  return out;
}

}  // namespace llm

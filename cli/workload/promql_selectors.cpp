#include "workload/promql_selectors.h"

#include <array>
#include <cctype>

#include <fmt/format.h>

namespace llm {
namespace {

bool IsIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_' || c == ':'; }
bool IsIdentChar(char c) { return IsIdentStart(c) || std::isdigit(static_cast<unsigned char>(c)) != 0; }

// Aggregation operators take `by (...)`/`without (...)` between their name and
// their parenthesised argument, so "sum by (le) (x)" must not read "sum" as a metric.
constexpr std::array<std::string_view, 14> kAggregations = {"sum",    "min",      "max",    "avg",          "group",
                                                            "stddev", "stdvar",   "count",  "count_values", "bottomk",
                                                            "topk",   "quantile", "limitk", "limit_ratio"};
// Words that are never metric names where they stand.
constexpr std::array<std::string_view, 9> kKeywords = {"by",          "without", "on",     "ignoring", "group_left",
                                                       "group_right", "bool",    "offset", "atan2"};
constexpr std::array<std::string_view, 5> kSetOperators = {"and", "or", "unless", "inf", "nan"};
constexpr std::array<std::string_view, 8> kTargetLabels = {"namespace", "pod",     "container", "job",
                                                           "instance",  "service", "endpoint",  "node"};

template <size_t N>
bool OneOf(std::string_view word, const std::array<std::string_view, N>& words) {
  for (std::string_view w : words) {
    if (w == word) return true;
  }
  return false;
}

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  Result<std::vector<VectorSelector>> Run() {
    std::vector<VectorSelector> out;
    while (true) {
      SkipSpace();
      if (pos_ >= text_.size()) return out;
      const char c = text_[pos_];
      if (c == '"' || c == '\'' || c == '`') {
        auto skipped = String();  // a string outside a selector: an argument such as label_replace's
        if (!skipped.ok()) return skipped.error();
        continue;
      }
      if (c == '[') {  // a range or subquery duration
        const size_t close = text_.find(']', pos_);
        if (close == std::string_view::npos) return Fail("expected ']' to close the range");
        pos_ = close + 1;
        continue;
      }
      if (c == '{') {
        VectorSelector selector;
        LLM_RETURN_IF_ERROR(Matchers(selector));
        out.push_back(std::move(selector));
        continue;
      }
      if (std::isdigit(static_cast<unsigned char>(c)) != 0 ||
          (c == '.' && pos_ + 1 < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_ + 1])) != 0)) {
        while (pos_ < text_.size() && (IsIdentChar(text_[pos_]) || text_[pos_] == '.')) ++pos_;  // 1.5, 5m, 1e3
        continue;
      }
      if (!IsIdentStart(c)) {
        ++pos_;
        continue;
      }
      const std::string word = Identifier();
      SkipSpace();
      const char next = pos_ < text_.size() ? text_[pos_] : '\0';
      if (OneOf(word, kKeywords)) {
        if (word != "bool" && word != "offset" && word != "atan2" && next == '(') SkipParenthesised();
        continue;
      }
      if (OneOf(word, kSetOperators)) continue;
      if (next == '(') continue;  // a function call or an aggregation: its argument is read next
      if (OneOf(word, kAggregations) && StartsWithWord("by", "without")) continue;
      VectorSelector selector;
      selector.metric = word;
      if (next == '{') LLM_RETURN_IF_ERROR(Matchers(selector));
      out.push_back(std::move(selector));
    }
  }

 private:
  void SkipSpace() {
    while (pos_ < text_.size()) {
      if (std::isspace(static_cast<unsigned char>(text_[pos_])) != 0) {
        ++pos_;
      } else if (text_[pos_] == '#') {  // a comment runs to the end of the line
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      } else {
        return;
      }
    }
  }

  std::string Identifier() {
    const size_t start = pos_;
    while (pos_ < text_.size() && IsIdentChar(text_[pos_])) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }

  bool StartsWithWord(std::string_view a, std::string_view b) const {
    for (std::string_view w : {a, b}) {
      if (text_.substr(pos_, w.size()) == w &&
          (pos_ + w.size() >= text_.size() || !IsIdentChar(text_[pos_ + w.size()]))) {
        return true;
      }
    }
    return false;
  }

  /// `(le, pod)` after by/without/on/ignoring: label names, not metrics.
  void SkipParenthesised() {
    const size_t close = text_.find(')', pos_);
    pos_ = close == std::string_view::npos ? text_.size() : close + 1;
  }

  Result<std::string> String() {
    const char quote = text_[pos_++];
    std::string out;
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (c == quote) return out;
      if (c == '\\' && quote != '`' && pos_ < text_.size()) {
        const char escaped = text_[pos_++];
        out += escaped == 'n' ? '\n' : escaped == 't' ? '\t' : escaped;
        continue;
      }
      out += c;
    }
    return Fail(fmt::format("expected {} to close the string", quote));
  }

  Status Matchers(VectorSelector& selector) {
    ++pos_;                      // '{'
    bool after_matcher = false;  // then only ',' or '}' may come
    while (true) {
      SkipSpace();
      if (pos_ >= text_.size()) return Fail("expected '}' to close the label matchers");
      if (text_[pos_] == '}') {
        ++pos_;
        return Ok();
      }
      if (text_[pos_] == ',') {
        ++pos_;
        after_matcher = false;
        continue;
      }
      if (after_matcher || !IsIdentStart(text_[pos_]) || text_[pos_] == ':') {
        return Fail(after_matcher ? "expected '}' to close the label matchers" : "expected a label name in {...}");
      }
      LabelMatcher m;
      m.label = Identifier();
      SkipSpace();
      for (std::string_view op : {"=~", "!~", "!=", "="}) {
        if (text_.substr(pos_, op.size()) == op) {
          m.op = std::string(op);
          pos_ += op.size();
          break;
        }
      }
      if (m.op.empty()) return Fail(fmt::format("expected =, !=, =~ or !~ after label '{}'", m.label));
      SkipSpace();
      if (pos_ >= text_.size() || (text_[pos_] != '"' && text_[pos_] != '\'' && text_[pos_] != '`')) {
        return Fail(fmt::format("expected a quoted value for label '{}'", m.label));
      }
      LLM_ASSIGN_OR_RETURN(m.value, String());
      if (m.label == "__name__" && m.op == "=") {
        selector.metric = m.value;
      } else {
        selector.matchers.push_back(std::move(m));
      }
      after_matcher = true;
    }
  }

  Error Fail(std::string_view message) const {
    return Error(ErrorKind::kInvalidInput, fmt::format("offset {}: {}", pos_, message));
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

Result<std::vector<VectorSelector>> VectorSelectors(std::string_view expression) { return Scanner(expression).Run(); }

bool IsTargetLabel(std::string_view label) { return OneOf(label, kTargetLabels); }

}  // namespace llm

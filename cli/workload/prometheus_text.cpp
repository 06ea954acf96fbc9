#include "workload/prometheus_text.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

#include <fmt/format.h>

#include "util/strings.h"

namespace llm {
namespace {

bool IsNameStart(char c, bool colon_ok) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon_ok && c == ':');
}
bool IsNameChar(char c, bool colon_ok) { return IsNameStart(c, colon_ok) || (c >= '0' && c <= '9'); }

/// A cursor over one line; every read reports what it expected on failure.
class LineReader {
 public:
  LineReader(std::string_view line, size_t number) : line_(line), number_(number) {}

  void SkipBlanks() {
    while (pos_ < line_.size() && (line_[pos_] == ' ' || line_[pos_] == '\t')) ++pos_;
  }
  bool AtEnd() const { return pos_ >= line_.size(); }
  bool Peek(char c) const { return pos_ < line_.size() && line_[pos_] == c; }
  void Advance() { ++pos_; }

  /// A metric name (colons allowed) or a label name (no colons).
  Result<std::string> Name(bool colon_ok, std::string_view what) {
    const size_t start = pos_;
    if (pos_ < line_.size() && IsNameStart(line_[pos_], colon_ok)) {
      ++pos_;
      while (pos_ < line_.size() && IsNameChar(line_[pos_], colon_ok)) ++pos_;
    }
    if (pos_ == start) return Fail(fmt::format("expected {}", what));
    return std::string(line_.substr(start, pos_ - start));
  }

  Status Expect(char c, std::string_view after) {
    if (!Peek(c)) return Fail(fmt::format("expected '{}' {}", c, after));
    ++pos_;
    return Ok();
  }

  /// A double-quoted label value with the format's three escapes (\\, \", \n).
  Result<std::string> QuotedValue(std::string_view label) {
    if (!Peek('"')) return Fail(fmt::format("expected '\"' to open the value of label '{}'", label));
    ++pos_;
    std::string out;
    while (pos_ < line_.size()) {
      const char c = line_[pos_++];
      if (c == '"') return out;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= line_.size()) break;
      const char escaped = line_[pos_++];
      out += escaped == 'n' ? '\n' : escaped;  // \\ and \" stand for themselves
    }
    return Fail(fmt::format("the value of label '{}' is not closed by '\"'", label));
  }

  /// Up to the next blank or the end of the line.
  std::string_view Word() {
    const size_t start = pos_;
    while (pos_ < line_.size() && line_[pos_] != ' ' && line_[pos_] != '\t') ++pos_;
    return line_.substr(start, pos_ - start);
  }

  std::string_view Rest() const { return line_.substr(std::min(pos_, line_.size())); }

  Error Fail(std::string_view message) const {
    return Error(ErrorKind::kInvalidInput, fmt::format("line {}: {}", number_, message));
  }

 private:
  std::string_view line_;
  size_t number_;
  size_t pos_ = 0;
};

std::optional<MetricType> ParseType(std::string_view word) {
  if (word == "counter") return MetricType::kCounter;
  if (word == "gauge") return MetricType::kGauge;
  if (word == "histogram" || word == "gaugehistogram") return MetricType::kHistogram;
  if (word == "summary") return MetricType::kSummary;
  if (word == "untyped" || word == "unknown") return MetricType::kUntyped;
  return std::nullopt;
}

/// "# TYPE name type" records the type; "# HELP", "# UNIT" and other comments are skipped.
Status ReadComment(LineReader& reader, Exposition& out) {
  reader.Advance();  // '#'
  reader.SkipBlanks();
  if (reader.Word() != "TYPE") return Ok();
  reader.SkipBlanks();
  LLM_ASSIGN_OR_RETURN(std::string family, reader.Name(true, "a metric name after '# TYPE'"));
  reader.SkipBlanks();
  const std::string_view word = reader.Word();
  std::optional<MetricType> type = ParseType(word);
  if (!type) {
    return reader.Fail(
        fmt::format("unknown metric type '{}' for {} (counter, gauge, histogram, summary or untyped)", word, family));
  }
  out.types[family] = *type;
  return Ok();
}

Result<MetricSample> ReadSample(LineReader& reader) {
  MetricSample sample;
  LLM_ASSIGN_OR_RETURN(sample.name, reader.Name(true, "a metric name, '#' or an empty line"));
  reader.SkipBlanks();
  if (reader.Peek('{')) {
    reader.Advance();
    while (true) {
      reader.SkipBlanks();
      if (reader.Peek('}')) break;
      LLM_ASSIGN_OR_RETURN(std::string label, reader.Name(false, fmt::format("a label name in {}", sample.name)));
      reader.SkipBlanks();
      LLM_RETURN_IF_ERROR(reader.Expect('=', fmt::format("after label name '{}'", label)));
      reader.SkipBlanks();
      LLM_ASSIGN_OR_RETURN(std::string value, reader.QuotedValue(label));
      sample.labels.emplace_back(std::move(label), std::move(value));
      reader.SkipBlanks();
      if (reader.Peek(',')) {
        reader.Advance();
        continue;
      }
      if (!reader.Peek('}')) return reader.Fail(fmt::format("expected ',' or '}}' in the labels of {}", sample.name));
    }
    reader.Advance();  // '}'
  }
  reader.SkipBlanks();
  const std::string_view value_text = reader.Word();
  std::optional<double> value = ParsePrometheusFloat(value_text);
  if (!value) {
    return reader.Fail(value_text.empty() ? fmt::format("expected a value after {}", sample.name)
                                          : fmt::format("'{}' is not a sample value of {}", value_text, sample.name));
  }
  sample.value = *value;
  reader.SkipBlanks();
  const std::string_view timestamp = reader.Word();  // optional; the time of the scrape is what counts here
  if (!timestamp.empty() && !ParsePrometheusFloat(timestamp)) {
    return reader.Fail(fmt::format("'{}' is not a timestamp after the value of {}", timestamp, sample.name));
  }
  reader.SkipBlanks();
  if (!reader.AtEnd()) {
    return reader.Fail(fmt::format("unexpected '{}' after the sample of {}", reader.Rest(), sample.name));
  }
  return sample;
}

}  // namespace

std::optional<std::string_view> MetricSample::Label(std::string_view key) const {
  for (const auto& [label, label_value] : labels) {
    if (label == key) return std::string_view(label_value);
  }
  return std::nullopt;
}

bool Exposition::Has(std::string_view name) const {
  for (const MetricSample& s : samples) {
    if (s.name == name) return true;
  }
  return false;
}

std::vector<const MetricSample*> Exposition::Select(std::string_view name, const MetricLabels& match) const {
  std::vector<const MetricSample*> out;
  for (const MetricSample& s : samples) {
    if (s.name != name) continue;
    bool all = true;
    for (const auto& [key, value] : match) {
      std::optional<std::string_view> have = s.Label(key);
      if (!have || *have != value) {
        all = false;
        break;
      }
    }
    if (all) out.push_back(&s);
  }
  return out;
}

std::optional<double> ParsePrometheusFloat(std::string_view text) {
  const std::string lower = Lower(text);
  if (lower == "+inf" || lower == "inf") return std::numeric_limits<double>::infinity();
  if (lower == "-inf") return -std::numeric_limits<double>::infinity();
  if (lower == "nan") return std::numeric_limits<double>::quiet_NaN();
  if (text.empty() || text.find_first_not_of("0123456789+-.eE_") != std::string_view::npos) return std::nullopt;
  std::string digits;
  for (char c : text) {
    if (c != '_') digits += c;  // Go's ParseFloat accepts digit separators
  }
  errno = 0;
  char* end = nullptr;
  const double value = std::strtod(digits.c_str(), &end);
  if (end != digits.c_str() + digits.size() || errno == ERANGE) return std::nullopt;
  return value;
}

Result<Exposition> ParsePrometheusText(std::string_view text) {
  Exposition out;
  size_t number = 0;
  while (!text.empty()) {
    const size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    LineReader reader(line, number);
    reader.SkipBlanks();
    if (reader.AtEnd()) continue;
    if (reader.Peek('#')) {
      if (Trim(line) == "# EOF") break;  // OpenMetrics' end marker
      LLM_RETURN_IF_ERROR(ReadComment(reader, out));
      continue;
    }
    LLM_ASSIGN_OR_RETURN(MetricSample sample, ReadSample(reader));
    out.samples.push_back(std::move(sample));
  }
  return out;
}

}  // namespace llm

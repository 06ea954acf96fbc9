// kubectl's JSONPath templates, as k8s.io/client-go/util/jsonpath (v0.35)
// parses and evaluates them: text outside braces is printed as is; inside,
// fields (.a.b, ['a.b']), indexes and slices ([n], [start:end:step], [-1],
// [*], unions [0,2]), wildcards (.*), recursive descent (..name), filters
// ([?(@.x=="y")], ==, !=, <, >, <=, >= and existence), {range ...}{end} and
// quoted literals ({"\n"}). Several results of one action print separated by
// spaces, maps and lists as compact JSON; kubectl's quirks are kept, so a
// template prints here what it prints through kubectl. Errors carry
// client-go's wording ("unterminated array", "array index out of bounds:
// index 5, length 2"), which output/output_format.h prefixes as kubectl does.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/result.h"

namespace llm {

struct JsonPathNode;

class JsonPath {
 public:
  /// client-go's parser; its error text, as Parser.Parse returns it.
  static Result<JsonPath> Parse(std::string_view text);

  /// The template's output over `data` (JSONPath.Execute). A missing key
  /// prints nothing when allow_missing_keys (kubectl's default), else is the
  /// error "KEY is not found".
  Result<std::string> Execute(const nlohmann::json& data, bool allow_missing_keys = true) const;

  /// Every value the template finds, each as fmt.Sprint spells it (maps as
  /// map[k:v]): what one custom column joins with commas. Missing keys are
  /// allowed, as kubectl's custom columns allow them.
  Result<std::vector<std::string>> FindValueTexts(const nlohmann::json& data) const;

  /// Every value the template finds, one list per action (client-go's
  /// FindResults), missing keys allowed: what --sort-by compares. A string's
  /// bytes (`.name[*]`) come back as numbers; the body of a range over nothing
  /// as null.
  Result<std::vector<std::vector<nlohmann::json>>> FindValues(const nlohmann::json& data) const;

  /// The template as written.
  const std::string& text() const { return text_; }

 private:
  JsonPath(std::string text, std::shared_ptr<const JsonPathNode> root)
      : text_(std::move(text)), root_(std::move(root)) {}
  std::string text_;
  std::shared_ptr<const JsonPathNode> root_;
};

}  // namespace llm

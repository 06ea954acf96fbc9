// -o custom-columns=HEADER:PATH,... and -o custom-columns-file=FILE, as kubectl
// prints them (k8s.io/kubectl/pkg/cmd/get/customcolumn.go): each PATH is a
// relaxed JSONPath ("name", ".metadata.name" or "{.metadata.name}"), a
// List's items are one row each, a missing value prints <none>, several
// values join with commas, headers print as typed, and the columns are laid
// out by kubectl's tabwriter settings.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "output/jsonpath.h"
#include "util/result.h"

namespace llm {

/// kubectl's RelaxedJSONPathExpression: "a.b", ".a.b", "{a.b}" and "{.a.b}"
/// all become "{.a.b}"; "" stays ""; braces inside are an error.
Result<std::string> RelaxedJsonPathExpression(std::string_view path);

class CustomColumns {
 public:
  /// "NAME:.metadata.name,GPUS:.spec.gpus": kubectl's errors for a column
  /// without ':' and for a path it cannot read.
  static Result<CustomColumns> FromSpec(std::string_view spec);

  /// A custom-columns file: one line of headers and one line of paths,
  /// separated by whitespace.
  static Result<CustomColumns> FromTemplate(std::string_view text);

  /// The header line (unless no_headers) and a row per item of a List (a
  /// document with an "items" list), or one row for any other document.
  Result<std::string> Render(const nlohmann::json& document, bool no_headers) const;

 private:
  struct Column {
    std::string header;
    JsonPath path;
  };
  static Result<CustomColumns> FromColumns(const std::vector<std::pair<std::string, std::string>>& columns);

  std::vector<Column> columns_;
};

}  // namespace llm

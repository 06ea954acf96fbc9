#include "output/custom_columns.h"

#include <regex>
#include <sstream>

#include <fmt/format.h>

#include "output/table_printer.h"

namespace llm {
namespace {

// printers.EscapeTerminal: no escape sequence of a value reaches the terminal.
std::string EscapeTerminal(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\x1b') {
      out += "^[";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out += c;
    }
  }
  return out;
}

std::vector<std::string> SplitOnWhitespace(std::string_view line) {
  std::istringstream words{std::string(line)};
  std::vector<std::string> out;
  for (std::string word; words >> word;) out.push_back(word);
  return out;
}

}  // namespace

Result<std::string> RelaxedJsonPathExpression(std::string_view path) {
  if (path.empty()) return std::string();
  static const std::regex kPath(R"(^\{\.?([^{}]+)\}$|^\.?([^{}]+)$)");
  std::match_results<std::string_view::const_iterator> match;
  if (!std::regex_match(path.begin(), path.end(), match, kPath)) {
    return Error(ErrorKind::kUsage,
                 "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or "
                 "'{.name1.name2}'");
  }
  return fmt::format("{{.{}}}", match[1].matched ? match[1].str() : match[2].str());
}

Result<CustomColumns> CustomColumns::FromColumns(const std::vector<std::pair<std::string, std::string>>& columns) {
  CustomColumns out;
  for (const auto& [header, path] : columns) {
    LLM_ASSIGN_OR_RETURN(std::string expression, RelaxedJsonPathExpression(path));
    LLM_ASSIGN_OR_RETURN(JsonPath parsed, JsonPath::Parse(expression));
    out.columns_.push_back(Column{header, std::move(parsed)});
  }
  return out;
}

Result<CustomColumns> CustomColumns::FromSpec(std::string_view spec) {
  if (spec.empty()) return Error(ErrorKind::kUsage, "custom-columns format specified but no custom columns given");
  std::vector<std::pair<std::string, std::string>> columns;
  size_t begin = 0;
  while (true) {
    const size_t comma = spec.find(',', begin);
    const std::string_view part = spec.substr(begin, comma == std::string_view::npos ? spec.npos : comma - begin);
    const size_t colon = part.find(':');
    if (colon == std::string_view::npos) {
      return Error(ErrorKind::kUsage,
                   fmt::format("unexpected custom-columns spec: {}, expected <header>:<json-path-expr>", part));
    }
    columns.emplace_back(std::string(part.substr(0, colon)), std::string(part.substr(colon + 1)));
    if (comma == std::string_view::npos) break;
    begin = comma + 1;
  }
  return FromColumns(columns);
}

Result<CustomColumns> CustomColumns::FromTemplate(std::string_view text) {
  constexpr std::string_view kExpected =
      "Expected format is one line of space separated headers, one line of space separated column specs.";
  std::istringstream lines{std::string(text)};
  std::string header_line;
  std::string spec_line;
  if (!std::getline(lines, header_line)) {
    return Error(ErrorKind::kUsage, fmt::format("invalid template, missing header line. {}", kExpected));
  }
  if (!std::getline(lines, spec_line)) {
    return Error(ErrorKind::kUsage, fmt::format("invalid template, missing spec line. {}", kExpected));
  }
  const std::vector<std::string> headers = SplitOnWhitespace(header_line);
  const std::vector<std::string> specs = SplitOnWhitespace(spec_line);
  if (headers.size() != specs.size()) {
    return Error(ErrorKind::kUsage, fmt::format("number of headers ({}) and field specifications ({}) don't match",
                                                headers.size(), specs.size()));
  }
  std::vector<std::pair<std::string, std::string>> columns;
  for (size_t i = 0; i < headers.size(); ++i) columns.emplace_back(headers[i], specs[i]);
  return FromColumns(columns);
}

Result<std::string> CustomColumns::Render(const nlohmann::json& document, bool no_headers) const {
  std::vector<TableColumn> table_columns;
  for (const Column& column : columns_) table_columns.push_back(TableColumn{column.header, false, true});
  Table table(std::move(table_columns));

  const bool is_list = document.is_object() && document.contains("items") && document["items"].is_array();
  const nlohmann::json single = nlohmann::json::array({document});
  const nlohmann::json& objects = is_list ? document["items"] : single;
  for (const nlohmann::json& object : objects) {
    std::vector<std::string> cells;
    for (const Column& column : columns_) {
      LLM_ASSIGN_OR_RETURN(std::vector<std::string> values, column.path.FindValueTexts(object));
      if (values.empty()) {
        cells.emplace_back("<none>");
        continue;
      }
      std::string cell;
      // Two appends, not `sep + text`: GCC 12 at -O3 reports a false -Wrestrict
      // in operator+(const char*, string&&) (the release build failed on it).
      for (size_t i = 0; i < values.size(); ++i) {
        if (i > 0) cell += ',';
        cell += EscapeTerminal(values[i]);
      }
      cells.push_back(std::move(cell));
    }
    table.AddRow(std::move(cells));
  }
  return table.Render(/*wide=*/false, no_headers);
}

}  // namespace llm

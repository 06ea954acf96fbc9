// -o/--output: the formats a command accepts, parsed once with an error that
// lists them. Where a command prints JSON it also prints kubectl's templates
// over that same JSON: -o jsonpath=..., jsonpath-file=..., custom-columns=...
// and custom-columns-file=..., so a -o value that works for one command works
// for every command that has -o json.
#pragma once

#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "output/custom_columns.h"
#include "output/jsonpath.h"
#include "util/result.h"

namespace llm {

enum class OutputFormat {
  kTable,  ///< no -o: the human table
  kWide,   ///< -o wide: the table with its wide-only columns
  kJson,
  kYaml,
  kName,           ///< -o name: <resource>.<group>/<name>, one per line
  kJsonPath,       ///< -o jsonpath=TEMPLATE or jsonpath-file=FILE: accepted wherever kJson is
  kCustomColumns,  ///< -o custom-columns=SPEC or custom-columns-file=FILE: accepted wherever kJson is
};

/// "" (table), "wide", "json", "yaml", "name", "jsonpath", "custom-columns".
std::string_view OutputFormatName(OutputFormat format);

/// A parsed -o value: the format, and the parsed template of jsonpath and
/// custom-columns (read from the file for their -file forms), so a bad
/// template is a usage error before the command does anything.
struct OutputSpec {
  OutputSpec(OutputFormat plain = OutputFormat::kTable) : format(plain) {}  // NOLINT: a format without a template

  OutputFormat format;
  std::optional<JsonPath> jsonpath;
  std::optional<CustomColumns> columns;

  bool is_table() const { return format == OutputFormat::kTable || format == OutputFormat::kWide; }
  /// json or yaml: the whole document, which callers print in their own key order.
  bool is_document() const { return format == OutputFormat::kJson || format == OutputFormat::kYaml; }
};

/// The -o values a command's help lists for `accepted`: "wide", "json", ...,
/// and the four template forms where json is accepted.
std::vector<std::string> AcceptedOutputNames(std::span<const OutputFormat> accepted);

/// `text` is the -o value; "" always means kTable. Anything not in `accepted`
/// is a usage error: "--output must be one of 'json', 'yaml' or 'name', got 'xml'".
/// A template that does not parse is a usage error with kubectl's words
/// ("error parsing jsonpath {.a[}, unterminated array").
/// Commands keep their accepted list in one array, read by both AddOutputFlag
/// (commands/command_flags.h) for the help and this for the value.
Result<OutputSpec> ParseOutputFormat(std::string_view text, std::span<const OutputFormat> accepted);
inline Result<OutputSpec> ParseOutputFormat(std::string_view text, std::initializer_list<OutputFormat> accepted) {
  return ParseOutputFormat(text, std::span<const OutputFormat>(accepted.begin(), accepted.size()));
}

}  // namespace llm

// -o/--output: the formats a command accepts, parsed once with an error that
// lists them.
#pragma once

#include <initializer_list>
#include <span>
#include <string_view>

#include "util/result.h"

namespace llm {

enum class OutputFormat {
  kTable,  ///< no -o: the human table
  kWide,   ///< -o wide: the table with its wide-only columns
  kJson,
  kYaml,
  kName,  ///< -o name: <resource>.<group>/<name>, one per line
};

/// "" (table), "wide", "json", "yaml", "name".
std::string_view OutputFormatName(OutputFormat format);

/// `text` is the -o value; "" always means kTable. Anything not in `accepted`
/// is a usage error: "--output must be one of 'json', 'yaml' or 'name', got 'xml'".
/// Commands keep their accepted list in one array, read by both AddOutputFlag
/// (commands/command_flags.h) for the help and this for the value.
Result<OutputFormat> ParseOutputFormat(std::string_view text, std::span<const OutputFormat> accepted);
inline Result<OutputFormat> ParseOutputFormat(std::string_view text, std::initializer_list<OutputFormat> accepted) {
  return ParseOutputFormat(text, std::span<const OutputFormat>(accepted.begin(), accepted.size()));
}

}  // namespace llm

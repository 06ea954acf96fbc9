#include "output/output_format.h"

#include <string>
#include <vector>

#include <fmt/format.h>

#include "util/strings.h"

namespace llm {

std::string_view OutputFormatName(OutputFormat format) {
  switch (format) {
    case OutputFormat::kTable:
      return "";
    case OutputFormat::kWide:
      return "wide";
    case OutputFormat::kJson:
      return "json";
    case OutputFormat::kYaml:
      return "yaml";
    case OutputFormat::kName:
      return "name";
  }
  return "";
}

Result<OutputFormat> ParseOutputFormat(std::string_view text, std::span<const OutputFormat> accepted) {
  if (text.empty()) return OutputFormat::kTable;
  std::vector<std::string> names;
  for (OutputFormat format : accepted) {
    if (format == OutputFormat::kTable) continue;
    if (OutputFormatName(format) == text) return format;
    names.push_back(fmt::format("'{}'", OutputFormatName(format)));
  }
  const std::string list = JoinWithOr(names);
  if (names.empty()) return Error(ErrorKind::kUsage, fmt::format("--output is not supported here, got '{}'", text));
  if (names.size() == 1) return Error(ErrorKind::kUsage, fmt::format("--output must be {}, got '{}'", list, text));
  return Error(ErrorKind::kUsage, fmt::format("--output must be one of {}, got '{}'", list, text));
}

}  // namespace llm

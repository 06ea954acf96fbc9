#include "output/output_format.h"

#include <algorithm>

#include <fmt/format.h>

#include "util/file_system.h"
#include "util/strings.h"

namespace llm {
namespace {

bool Accepts(std::span<const OutputFormat> accepted, OutputFormat format) {
  return std::find(accepted.begin(), accepted.end(), format) != accepted.end();
}

// The template forms, as kubectl spells them after -o.
struct TemplateForm {
  std::string_view name;  ///< before '='
  OutputFormat format;
  bool from_file;
  std::string_view placeholder;  ///< what the help shows after '='
};
constexpr TemplateForm kTemplateForms[] = {
    {"jsonpath", OutputFormat::kJsonPath, false, "TEMPLATE"},
    {"jsonpath-file", OutputFormat::kJsonPath, true, "FILE"},
    {"custom-columns", OutputFormat::kCustomColumns, false, "SPEC"},
    {"custom-columns-file", OutputFormat::kCustomColumns, true, "FILE"},
};

Result<OutputSpec> ParseTemplate(const TemplateForm& form, std::string_view argument) {
  OutputSpec spec;
  spec.format = form.format;
  if (argument.empty()) {
    return Error(
        ErrorKind::kUsage,
        form.format == OutputFormat::kJsonPath
            ? fmt::format("--output {}: template format specified but no template given", form.name)
            : fmt::format("--output {}: custom-columns format specified but no custom columns given", form.name));
  }
  std::string text(argument);
  if (form.from_file) {
    auto content = DiskFileSystem().ReadFile(text);
    if (!content.ok()) {
      return Error(ErrorKind::kUsage, fmt::format("--output {}: error reading template {}, {}", form.name, text,
                                                  content.error().message()));
    }
    text = *content;
  }
  if (form.format == OutputFormat::kJsonPath) {
    auto parsed = JsonPath::Parse(text);
    if (!parsed.ok()) {
      return Error(ErrorKind::kUsage, fmt::format("error parsing jsonpath {}, {}", text, parsed.error().message()));
    }
    spec.jsonpath = std::move(*parsed);
    return spec;
  }
  auto columns = form.from_file ? CustomColumns::FromTemplate(text) : CustomColumns::FromSpec(text);
  if (!columns.ok())
    return Error(ErrorKind::kUsage, fmt::format("--output {}: {}", form.name, columns.error().message()));
  spec.columns = std::move(*columns);
  return spec;
}

}  // namespace

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
    case OutputFormat::kJsonPath:
      return "jsonpath";
    case OutputFormat::kCustomColumns:
      return "custom-columns";
  }
  return "";
}

std::vector<std::string> AcceptedOutputNames(std::span<const OutputFormat> accepted) {
  std::vector<std::string> names;
  for (OutputFormat format : accepted) {
    if (format == OutputFormat::kTable || format == OutputFormat::kJsonPath || format == OutputFormat::kCustomColumns) {
      continue;
    }
    names.emplace_back(OutputFormatName(format));
  }
  if (Accepts(accepted, OutputFormat::kJson)) {
    for (const TemplateForm& form : kTemplateForms) names.push_back(fmt::format("{}={}", form.name, form.placeholder));
  }
  return names;
}

Result<OutputSpec> ParseOutputFormat(std::string_view text, std::span<const OutputFormat> accepted) {
  if (text.empty()) return OutputSpec{};
  if (Accepts(accepted, OutputFormat::kJson)) {
    const std::string_view name = text.substr(0, text.find('='));
    for (const TemplateForm& form : kTemplateForms) {
      if (form.name != name) continue;
      return ParseTemplate(form, name.size() < text.size() ? text.substr(name.size() + 1) : std::string_view());
    }
  }
  std::vector<std::string> names;
  for (const std::string& name : AcceptedOutputNames(accepted)) {
    if (name == text) {
      for (OutputFormat format : accepted) {
        if (OutputFormatName(format) == text) return OutputSpec(format);
      }
    }
    names.push_back(fmt::format("'{}'", name));
  }
  const std::string list = JoinWithOr(names);
  if (names.empty()) return Error(ErrorKind::kUsage, fmt::format("--output is not supported here, got '{}'", text));
  if (names.size() == 1) return Error(ErrorKind::kUsage, fmt::format("--output must be {}, got '{}'", list, text));
  return Error(ErrorKind::kUsage, fmt::format("--output must be one of {}, got '{}'", list, text));
}

}  // namespace llm

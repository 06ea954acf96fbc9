#include "render/template_renderer.h"

#include <fmt/format.h>

#include "util/yaml_scalar.h"

namespace llm {

Result<std::string> RenderTemplate(const TemplateSource& source, std::string_view name, const ViewData& view) {
  LLM_ASSIGN_OR_RETURN(std::string text, LoadTemplate(source, name));
  kainjow::mustache::mustache tmpl(text);
  if (!tmpl.is_valid()) {
    return Error(ErrorKind::kInvalidInput,
                 fmt::format("{}: template {}: {}", source.Describe(), name, tmpl.error_message()));
  }
  tmpl.set_custom_escape([](const std::string& value) { return YamlDoubleQuote(value); });
  std::string out = tmpl.render(view);
  if (!tmpl.is_valid()) {  // kainjow reports render-time errors (bad lambdas, partials) here
    return Error(ErrorKind::kInvalidInput,
                 fmt::format("{}: template {}: {}", source.Describe(), name, tmpl.error_message()));
  }
  return out;
}

}  // namespace llm

#include "render/template_renderer.h"

#include <fmt/format.h>

#include "render/lifted_literals.h"
#include "util/yaml_scalar.h"

namespace llm {

Result<std::string> RenderTemplate(const TemplateSource& source, std::string_view name, const ViewData& view) {
  LLM_ASSIGN_OR_RETURN(std::string text, LoadTemplate(source, name));
  const auto invalid = [&](const std::string& message) {
    return Error(ErrorKind::kInvalidInput, fmt::format("{}: template {}: {}", source.Describe(), name, message));
  };
  LiftedTemplate lifted = LiftLiterals(text);
  kainjow::mustache::mustache tmpl(lifted.text);
  if (!tmpl.is_valid()) {
    // Said of the template as written: its positions are the user's.
    return invalid(kainjow::mustache::mustache(text).error_message());
  }
  tmpl.set_custom_escape([](const std::string& value) { return YamlDoubleQuote(value); });
  LiftedContext context(lifted, view);
  std::string out = tmpl.render(context);
  if (!tmpl.is_valid()) return invalid(tmpl.error_message());  // kainjow reports render-time errors here
  return out;
}

}  // namespace llm

// Renders one template with a view model. Every {{value}} goes through
// YamlDoubleQuote (kainjow's custom escape), so values land in YAML as quoted
// scalars that cannot change the document's structure.
#pragma once

#include <string>
#include <string_view>

#include "render/template_source.h"
#include "render/view_data.h"
#include "util/result.h"

namespace llm {

/// `name` without ".mustache" ("serve/deployment.yaml").
Result<std::string> RenderTemplate(const TemplateSource& source, std::string_view name, const ViewData& view);

}  // namespace llm

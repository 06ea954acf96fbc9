#include "render/lifted_literals.h"

#include <doctest/doctest.h>

#include "render/render_pipeline.h"
#include "render/template_renderer.h"
#include "render/template_source.h"
#include "render/values.h"
#include "render/workload.h"
#include "unit/render/sample_render_plans.h"
#include "util/yaml_scalar.h"

namespace llm {
namespace {

using kainjow::mustache::data;
using kainjow::mustache::mustache;

std::string Escape(const std::string& value) { return YamlDoubleQuote(value); }

/// What kainjow makes of the template as written.
std::string Plain(const std::string& text, const data& view) {
  mustache tmpl(text);
  REQUIRE_MESSAGE(tmpl.is_valid(), tmpl.error_message());
  tmpl.set_custom_escape(Escape);
  return tmpl.render(view);
}

/// What it makes of the template lifted, rendered as RenderTemplate does.
std::string Lifted(const std::string& text, const data& view) {
  LiftedTemplate lifted = LiftLiterals(text);
  mustache tmpl(lifted.text);
  REQUIRE_MESSAGE(tmpl.is_valid(), tmpl.error_message());
  tmpl.set_custom_escape(Escape);
  LiftedContext context(lifted, view);
  return tmpl.render(context);
}

data Strings(std::initializer_list<const char*> items) {
  data list(data::type::list);
  for (const char* item : items) list.push_back(data(item));
  return list;
}

TEST_CASE("lifting a template's plain text changes no byte of what it renders") {
  data view;
  view.set("name", "chat");
  view.set("image", "vllm/vllm-openai:v0.10.2");
  view.set("port", "8000");
  view.set("args", Strings({"--model", "org/m: x", ""}));
  view.set("none", Strings({}));
  view.set("on", true);
  view.set("off", false);
  data pairs(data::type::list);
  for (const char* key : {"a", "b"}) {
    data pair;
    pair.set("key", key);
    pair.set("value", std::string("v-") + key);
    pairs.push_back(pair);
  }
  view.set("labels", pairs);
  const std::vector<std::string> templates = {
      // standalone sections, indented and not, over lists, objects and booleans
      "metadata:\n  name: {{name}}\n  labels:\n{{#labels}}\n    {{key}}: {{value}}\n{{/labels}}\nspec:\n",
      "args:\n  {{#args}}\n  - {{.}}\n  {{/args}}\nnone:\n{{#none}}\n- x\n{{/none}}\nz: 1\n",
      "{{#on}}\nblock:\n  a: 1\n\n  b: 2\n{{/on}}\n{{^on}}\nnot: shown\n{{/on}}\n{{#off}}\nhidden: "
      "1\n{{/off}}\n{{^off}}\n"
      "shown: 1\n{{/off}}\n",
      // sections inside a line, comments, a line holding only whitespace, no final newline
      "ports: [{{#on}}{{{port}}}{{/on}}]\n  {{! a comment }}\n   \n\t\nimage: {{image}}\nend: {{{port}}}",
      // plain text that looks like the end of a tag, an unescaped variable, the view's names in sections
      "a: '}}' and '}'\n{{#labels}}\n- {{&key}} {{name}}\n{{/labels}}\n\n\nlast: line\n",
      // only plain text; nothing at all
      "plain: text\nno: tags\n",
      "",
      "\n\n",
      // indented standalone tags whose sections are off: kainjow keeps their lines' spaces
      "a:\n  {{#off}}\n  b: 1\n  {{/off}}\n  {{^on}}\n  c: 1\n  {{/on}}\n\t{{! note }}  \nd: 2\n",
  };
  for (const std::string& text : templates) {
    CAPTURE(text);
    CHECK(Lifted(text, view) == Plain(text, view));
  }
}

TEST_CASE("a template read otherwise than as {{...}} tags on their own lines is left as written") {
  for (const std::string text : {"{{=<% %>=}}\na: <%x%>\n", "{{ = | | = }}\n", "a: 1\r\nb: {{x}}\r\n",
                                 "a: {{#x\n}}b{{/x}}\n", "a: {{x\n", "a: {{{x}}\n", "a: {{~0}}\nb: c\n"}) {
    CAPTURE(text);
    const LiftedTemplate lifted = LiftLiterals(text);
    CHECK(lifted.text == text);
  }
  // Lifted, plain text is gone from what kainjow parses, a section tag's
  // indentation too; the same text is one variable.
  CHECK(LiftLiterals("a:\n  b: {{x}}\n").text == "{{{~0}}}\n{{{~1}}}{{x}}\n");
  CHECK(LiftLiterals("  {{#x}}\n  b: {{y}}\n  {{/x}}\n").text == "{{{~0}}}{{#x}}\n{{{~1}}}{{y}}\n{{{~0}}}{{/x}}\n");
}

TEST_CASE("a lifted template's context finds literal N by its name, and every other name in the view") {
  const LiftedTemplate lifted = LiftLiterals("a:\n  b: {{x}}\n");
  REQUIRE(lifted.literals.size() == 2);
  data view;
  view.set("x", "from the view");
  view.set("~7", "a view's own");
  const LiftedContext context(lifted, view);
  for (const auto& [name, expected] : std::vector<std::pair<std::string, std::string>>{
           {"~0", "a:"}, {"~1", "  b: "}, {"x", "from the view"}, {"~7", "a view's own"}}) {
    CAPTURE(name);
    const data* found = context.get(name);
    REQUIRE(found != nullptr);
    REQUIRE(found->is_string());
    CHECK(found->string_value() == expected);
  }
  // A name that is no literal's is the view's to find, or nobody's.
  for (const char* name : {"~2", "~", "~1x", "~-1", "y"}) CHECK_MESSAGE(context.get(name) == nullptr, name);
}

TEST_CASE(
    "every embedded template renders the same through RenderTemplate (lifted) as written, with the views serve, "
    "train and gpu-check make") {
  const std::vector<RenderPlan> plans = testing::SampleRenderPlans();
  auto templates = EmbeddedTemplateSource();
  size_t rendered = 0;
  for (const RenderPlan& plan : plans) {
    for (const std::string& name : plan.templates) {
      CAPTURE(name);
      Result<std::string> text = LoadTemplate(*templates, name);
      REQUIRE(text.ok());
      // Through the product's own path (RenderTemplate lifts), against kainjow on the template as written.
      Result<std::string> lifted = RenderTemplate(*templates, name, plan.view);
      REQUIRE_MESSAGE(lifted.ok(), (lifted.ok() ? "" : lifted.error().message()));
      CHECK(*lifted == Plain(*text, plan.view));
      ++rendered;
    }
  }
  CHECK(rendered > 20);
}

}  // namespace
}  // namespace llm

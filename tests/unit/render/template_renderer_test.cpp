#include "render/template_renderer.h"

#include <doctest/doctest.h>

#include "util/yaml_document.h"

namespace llm {
namespace {

TEST_CASE("standalone partials are included with the tag's indentation, recursively") {
  auto source = MapTemplateSource({{"main.yaml.mustache", "a:\n  {{> part}}\nz: 1\n"},
                                   {"part.mustache", "b: 1\nc:\n  {{> inner}}\n"},
                                   {"inner.mustache", "d: {{value}}\n"}});
  ViewData view;
  view.set("value", "x: y");
  auto text = RenderTemplate(*source, "main.yaml", view);
  REQUIRE(text.ok());
  CHECK(*text == "a:\n  b: 1\n  c:\n    d: \"x: y\"\nz: 1\n");
}

TEST_CASE("values are escaped as YAML, triple mustaches are not") {
  auto source = MapTemplateSource({{"t.mustache", "s: {{v}}\nn: {{{n}}}\n"}});
  ViewData view;
  view.set("v", "a\"\n---\nkind: Secret");
  view.set("n", "3");
  auto text = RenderTemplate(*source, "t", view);
  REQUIRE(text.ok());
  auto docs = ParseYamlDocuments(*text, "t");
  REQUIRE(docs.ok());
  REQUIRE(docs->size() == 1);
  CHECK((*docs)[0]["s"] == "a\"\n---\nkind: Secret");
  CHECK((*docs)[0]["n"] == 3);
}

TEST_CASE("template errors name the source and the template") {
  auto source = MapTemplateSource({{"bad.mustache", "a: {{#x}}\n"}, {"loop.mustache", "{{> loop}}\n"}});
  auto r = RenderTemplate(*source, "bad", ViewData());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message().starts_with("in-memory templates: template bad: "));
  r = RenderTemplate(*source, "loop", ViewData());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message().find("partials nested deeper") != std::string::npos);
  r = RenderTemplate(*source, "missing", ViewData());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind() == ErrorKind::kNotFound);
  r = RenderTemplate(*source, "../etc/passwd", ViewData());
  REQUIRE_FALSE(r.ok());
}

TEST_CASE("every embedded template is a .mustache file and parses") {
  REQUIRE_FALSE(EmbeddedTemplates().empty());
  for (const EmbeddedFile& file : EmbeddedTemplates()) {
    CAPTURE(file.path);
    CHECK(file.path.ends_with(".mustache"));
    kainjow::mustache::mustache tmpl{std::string(file.content)};
    CHECK(tmpl.is_valid());
  }
}

}  // namespace
}  // namespace llm

// Any template text, lifted (render/lifted_literals.h) and as written, with one
// view: a template kainjow parses as written parses lifted too and renders the
// same bytes; one it refuses, it refuses lifted (RenderTemplate then reports the
// error of the template as written).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_check.h"
#include "render/lifted_literals.h"

namespace llm {
namespace {

using kainjow::mustache::data;

data View() {
  data view;
  view.set("name", "chat");
  view.set("on", true);
  view.set("off", false);
  data list(data::type::list);
  for (const char* item : {"a", "b c", ""}) list.push_back(data(item));
  view.set("items", list);
  data pairs(data::type::list);
  for (const char* key : {"k1", "k2"}) {
    data pair;
    pair.set("key", key);
    pair.set("value", "v");
    pairs.push_back(pair);
  }
  view.set("pairs", pairs);
  return view;
}

std::string Escape(const std::string& value) { return "<" + value + ">"; }

}  // namespace
}  // namespace llm

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  using namespace llm;
  const std::string text(fuzz::Text(bytes, size));
  static const kainjow::mustache::data view = View();
  kainjow::mustache::mustache plain(text);
  LiftedTemplate lifted = LiftLiterals(text);
  kainjow::mustache::mustache tmpl(lifted.text);
  FUZZ_CHECK(plain.is_valid() == tmpl.is_valid(), "lifted parses as the template as written does");
  if (!plain.is_valid()) return 0;
  plain.set_custom_escape(Escape);
  tmpl.set_custom_escape(Escape);
  const std::string expected = plain.render(view);
  LiftedContext context(lifted, view);
  const std::string got = tmpl.render(context);
  FUZZ_CHECK(plain.is_valid() == tmpl.is_valid(), "lifted renders as the template as written does");
  FUZZ_CHECK(got == expected, "lifted renders the same bytes");
  return 0;
}

#include "util/block_yaml.h"

#include <set>
#include <string>

#include <doctest/doctest.h>

#include "render/template_renderer.h"
#include "render/template_source.h"
#include "unit/render/sample_render_plans.h"

namespace llm {
namespace {

/// The reader's documents, which must be libyaml's for the same text.
std::vector<Json> ReadAsLibyamlDoes(std::string_view text) {
  std::optional<std::vector<Json>> fast = ReadSimpleBlockYaml(text);
  REQUIRE_MESSAGE(fast.has_value(), "declined");
  Result<std::vector<Json>> full = ParseYamlWithLibyaml(text, "t");
  REQUIRE_MESSAGE(full.ok(), (full.ok() ? "" : full.error().message()));
  CHECK(*fast == *full);
  // Key order too: ordered_json compares objects as sequences of entries, but
  // say it where a reader could doubt it.
  CHECK(Json(*fast).dump() == Json(*full).dump());
  return *fast;
}

TEST_CASE("the block YAML reader reads what rendered templates are made of, as libyaml does") {
  const char* texts[] = {
      "",
      "# only a comment\n",
      "a: 1\n",
      "a: 1\nb: \"1\"\nc: true\nd: 'true'\ne: ~\nf: 1.5\ng: text\nh:\ni: -3\nj: 1e3\nk: 0x1F\nl: .5\n",
      "kind: Pod\nmetadata:\n  name: x\n  labels:\n    app: chat\n    tier: \"serve\"\nspec:\n  containers:\n"
      "  - name: main\n    image: img:1\n    args:\n    - --port\n    - \"8000\"\n",
      // Sequences indented under their key or standing at its column, nested, compact.
      "a:\n  - 1\n  - 2\nb:\n- x\n- y\nc: 3\n",
      "- - a\n  - b\n- - c\n",
      "- a: 1\n  b:\n  - x\n  c: 2\n-   d: 4\n    e: 5\n-\n  f: 6\n-\n- last\n",
      "a:\n  b:\n    c:\n      d: deep\n  e: back\n",
      // Comments anywhere, blank lines, trailing spaces, spaces before ':'.
      "a: 1   # one\n  # indented comment\n\nb:    # a comment where the value would be\n  c: x#y\n"
      "d   : spaced key\ne: 'it''s'  \nf: \"\" # empty\n",
      // Quoted keys and every double-quoted escape.
      "\"quoted key\": 1\n'single: key': 2\n\"k\" : 3\n",
      "e: \"\\0\\a\\b\\t\\n\\v\\f\\r\\e\\ \\\"\\\\\\N\\_\\L\\P\\x41\\u00e9\\U0001F600\"\n",
      "e: \"a: b # not a comment\"\nf: 'c: d # nor this'\ng: a:b\nh: a :b\ni: http://x:80/p?q=1#frag\n",
      "x: {}\ny: []\nz:\n- {}\n- []  # empty\n",
      // Documents.
      "---\na: 1\n---\n---\n# empty\n---\nb: 2\n",
      "a: 1\n---\n- x\n",
      "  indented: root\n  also: here\n",
      "a: ---\nb: ...\nc: -\\-\n\"---\": 1\n",
  };
  for (const char* text : texts) {
    CAPTURE(text);
    ReadAsLibyamlDoes(text);
  }
  // A spot check that the comparison has teeth.
  const std::vector<Json> docs = ReadAsLibyamlDoes("a:\n- x: 1\n  y: [] # c\nb: 'it''s'\n");
  REQUIRE(docs.size() == 1);
  CHECK(docs[0].dump() == R"({"a":[{"x":1,"y":[]}],"b":"it's"})");
}

TEST_CASE("the block YAML reader declines what it does not read, and ParseYamlDocuments gives libyaml's answer") {
  const char* texts[] = {// Valid YAML outside what the reader reads.
                         "a: [1, 2]\n", "a: {b: 1}\n", "a: |\n  text\n", "a: >\n  text\n", "a: &x 1\nb: *x\n",
                         "a: !!str 1\n", "a: one\n  two\n", "a:\n  plain on its own line\n", "a: \"two\n  lines\"\n",
                         "a: \"cont\\\n  inued\"\n", "a: 'two\n  lines'\n", "? a\n: 1\n", "a:\tb\n", "a: b\r\n",
                         "a: caf\xC3\xA9\n", "%YAML 1.2\n---\na: 1\n", "a: 1\n...\n", "--- a: 1\n", "--- # c\na: 1\n",
                         "scalar\n", "\"quoted scalar\"\n", "a: \"\\/\"\n", "a: @x\n", "a: `x\n", "a: %x\n", "a: ,x\n",
                         // Not YAML, or not what ParseYamlDocuments takes: libyaml says why.
                         "a: 1\na: 2\n", "a: b: c\n", "a: b:\n", "a: 1\n  b: 2\n", "a: 1\n- b\n", "- a\nb: 1\n",
                         "a:\n  - x\n - y\n", "a: - b\n", "a: \"x\" y\n", "a: \"x\"#c\n", "'a':b\n", "a: \"\\q\"\n",
                         "a: \"\\x4\"\n", "a: \"\\uD800\"\n", "a: 'open\n", "a:\n  b: 1\n c: 2\n", "- a\n  - b\n",
                         "a: 1\n  # fine\n    b: 2\n"};
  for (const char* text : texts) {
    CAPTURE(text);
    CHECK_FALSE(ReadSimpleBlockYaml(text).has_value());
    Result<std::vector<Json>> got = ParseYamlDocuments(text, "t");
    Result<std::vector<Json>> full = ParseYamlWithLibyaml(text, "t");
    REQUIRE(got.ok() == full.ok());
    if (got.ok()) {
      CHECK(*got == *full);
    } else {
      CHECK(got.error().message() == full.error().message());
    }
  }
  // Keys past libyaml's reach for a simple key, and text past 1 MiB.
  CHECK_FALSE(ReadSimpleBlockYaml(std::string(1001, 'k') + ": v\n").has_value());
  CHECK_FALSE(ReadSimpleBlockYaml("a: " + std::string(1 << 20, 'x') + "\n").has_value());
  // Nesting past 500 levels: declined here, and libyaml's parse still takes it.
  std::string deep;
  for (int level = 0; level < 600; ++level) deep += std::string(level * 2, ' ') + "k:\n";
  CHECK_FALSE(ReadSimpleBlockYaml(deep).has_value());
  CHECK(ParseYamlDocuments(deep, "t").ok());
}

TEST_CASE("the block YAML reader keeps plain scalars as their text when asked, null where yaml-cpp reads null") {
  const char* text = "a: 0123\nb: true\nc: 1.10\nd: ~\ne:\nf: null\ng: \"null\"\nh: 'true'\ni: NULL\nj: text\n";
  std::optional<std::vector<Json>> typed = ReadSimpleBlockYaml(text);
  std::optional<std::vector<Json>> as_text = ReadSimpleBlockYaml(text, PlainScalars::kText);
  REQUIRE(typed.has_value());
  REQUIRE(as_text.has_value());
  CHECK((*typed)[0].dump() ==
        R"({"a":123,"b":true,"c":1.1,"d":null,"e":null,"f":null,"g":"null","h":"true","i":null,"j":"text"})");
  CHECK((*as_text)[0].dump() ==
        R"({"a":"0123","b":"true","c":"1.10","d":null,"e":null,"f":null,"g":"null","h":"true","i":null,"j":"text"})");
}

TEST_CASE("lines of block YAML put together at random: what the block reader takes, libyaml reads the same") {
  // Indentation is where a line reader can go wrong, so the lines are shuffled
  // pieces at random columns: most texts are not YAML at all, and the reader
  // must decline each of those and read each of the rest as libyaml does.
  const char* pieces[] = {"a: 1",   "b:",    "- x",  "-",        "- k: v", "- - y",  "c: 'q''s'", "\"d\": \"e\\tf\"",
                          "# note", "e: {}", "- []", "f: g # c", "g: -1",  "h: a:b", "i: a: b",   "j: \"open",
                          "k: v w", "l: ~",  "- m:", "n: &x 1",  "o: [1]", "a: 2",   "p:   ",     "'r' : s"};
  const size_t columns[] = {0, 0, 0, 1, 2, 2, 4, 4, 6};
  uint32_t state = 12345;
  auto random = [&state](size_t n) {
    state = state * 1664525u + 1013904223u;  // a fixed LCG: the same texts every run
    return static_cast<size_t>((state >> 8) % n);
  };
  size_t taken = 0;
  for (int round = 0; round < 4000; ++round) {
    std::string text;
    const size_t lines = 1 + random(8);
    for (size_t l = 0; l < lines; ++l) {
      if (random(20) == 0) {
        text += "---\n";
        continue;
      }
      text += std::string(columns[random(std::size(columns))], ' ');
      text += pieces[random(std::size(pieces))];
      text += '\n';
    }
    CAPTURE(text);
    std::optional<std::vector<Json>> fast = ReadSimpleBlockYaml(text);
    if (!fast) continue;
    ++taken;
    Result<std::vector<Json>> full = ParseYamlWithLibyaml(text, "t");
    REQUIRE_MESSAGE(full.ok(), (full.ok() ? "" : full.error().message()));
    REQUIRE(Json(*fast).dump() == Json(*full).dump());
  }
  // Enough of them are read, not declined, for the comparison to mean something.
  CHECK(taken > 400);
}

TEST_CASE("every template serve, train and gpu-check render is read by the block YAML reader, as libyaml reads it") {
  auto templates = EmbeddedTemplateSource();
  std::set<std::string> rendered;
  for (const RenderPlan& plan : testing::SampleRenderPlans()) {
    for (const std::string& name : plan.templates) {
      CAPTURE(name);
      Result<std::string> text = RenderTemplate(*templates, name, plan.view);
      REQUIRE_MESSAGE(text.ok(), (text.ok() ? "" : text.error().message()));
      ReadAsLibyamlDoes(*text);
      rendered.insert(name);
    }
  }
  // The sample plans reach every template of the three workloads (the reader's
  // speed is what `render` and `serve` start with; a template it declined would
  // quietly give it up).
  for (const EmbeddedFile& file : EmbeddedTemplates()) {
    std::string_view path = file.path;
    if (!(path.starts_with("serve/") || path.starts_with("train/") || path.starts_with("gpu-check/"))) continue;
    if (path.substr(path.rfind('/') + 1).starts_with('_')) continue;  // partials
    CHECK_MESSAGE(rendered.count(std::string(path.substr(0, path.size() - std::string_view(".mustache").size()))) == 1,
                  path);
  }
}

}  // namespace
}  // namespace llm

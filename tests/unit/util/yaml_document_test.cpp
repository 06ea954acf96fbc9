#include "util/yaml_document.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

TEST_CASE("ParseYamlDocuments types plain scalars and keeps quoted ones as strings") {
  auto docs = ParseYamlDocuments("a: 1\nb: \"1\"\nc: true\nd: 'true'\ne: ~\nf: 1.5\ng: text\nh: !!str 7\n", "t");
  REQUIRE(docs.ok());
  REQUIRE(docs->size() == 1);
  const Json& d = (*docs)[0];
  CHECK(d["a"] == 1);
  CHECK(d["b"] == "1");
  CHECK(d["c"] == true);
  CHECK(d["d"] == "true");
  CHECK(d["e"].is_null());
  CHECK(d["f"] == 1.5);
  CHECK(d["g"] == "text");
  CHECK(d["h"] == "7");
}

TEST_CASE("ParseYamlDocuments keeps key order and skips empty documents") {
  // Found by tests/fuzz/patch_fuzzer.cpp: an empty view without a pointer.
  auto none = ParseYamlDocuments(std::string_view(), "t");
  REQUIRE(none.ok());
  CHECK(none->empty());
  auto docs = ParseYamlDocuments("---\nz: 1\na: 2\n---\n---\nk: v\n", "t");
  REQUIRE(docs.ok());
  REQUIRE(docs->size() == 2);
  CHECK((*docs)[0].begin().key() == "z");
}

TEST_CASE("ParseYamlDocuments refuses duplicate keys, unknown tags and bad syntax, naming the line") {
  struct Case {
    const char* text;
    const char* want;
  };
  const Case cases[] = {
      {"a: 1\na: 2\n", "t: line 2, column 1: duplicate key 'a'"},
      {"a: !custom x\n", "the tag '!custom' is not supported"},
      {"a: [1\n", "t: line"},
      {"? [a]\n: 1\n", "t: line 1, column 3: mapping keys must be strings"},
      {"a: !!int x\n", "t: line 1, column 4: the tag 'tag:yaml.org,2002:int' does not fit the value"},
      {"a: 1\n  b: 2\n", "t: line 2, column 4: mapping values are not allowed in this context"},
      {"a: [1\n", "did not find expected ',' or ']', while parsing a flow sequence that starts on line 1"},
      // yaml-cpp 0.7 never returned from this one (tests/unit/util/yaml_load_test.cpp).
      {"a: 1\n---\n, b\n", "t: line 3, column 1: did not find expected node content"},
      {"kind: Pod\nname: \"\xFF\"\n", "t: line 2, column 8: invalid leading UTF-8 octet"},
      {"a: *x\n", "t: line 1, column 4: unknown anchor 'x'"},
      {"a: &x [1, *x]\n", "t: line 1, column 11: the alias *x is inside the node it names"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    auto docs = ParseYamlDocuments(c.text, "t");
    REQUIRE_FALSE(docs.ok());
    CHECK(docs.error().message().find(c.want) != std::string::npos);
  }
}

TEST_CASE("ParseYamlDocuments copies what an alias names, keys included, within a document") {
  auto docs =
      ParseYamlDocuments("base: &b {cpu: 1, tags: [x]}\nname: &n team\nother: *b\n*n : 2\n---\nb: &b 3\nc: *b\n", "t");
  REQUIRE(docs.ok());
  REQUIRE(docs->size() == 2);
  CHECK((*docs)[0]["other"] == Json::parse(R"({"cpu": 1, "tags": ["x"]})"));
  CHECK((*docs)[0]["team"] == 2);
  CHECK((*docs)[1]["c"] == 3);
  auto across = ParseYamlDocuments("a: &x 1\n---\nb: *x\n", "t");
  REQUIRE_FALSE(across.ok());
  CHECK(across.error().message() == "t: line 3, column 4: unknown anchor 'x'");
}

TEST_CASE("ParseYamlDocuments refuses nesting deeper than a thousand levels, naming where") {
  auto fits = ParseYamlDocuments(std::string(999, '[') + std::string(999, ']'), "t");
  REQUIRE(fits.ok());
  auto deep = ParseYamlDocuments(std::string(1001, '[') + std::string(1001, ']'), "t");
  REQUIRE_FALSE(deep.ok());
  CHECK(deep.error().message() == "t: line 1, column 1001: nested deeper than 1000 levels");
}

TEST_CASE("ParseYamlDocuments stops alias expansion bombs") {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'h'; ++c) {
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) bomb += std::string(i ? ", *" : "*") + prev;
    bomb += "]\n";
    prev = c;
  }
  auto docs = ParseYamlDocuments(bomb, "t");
  REQUIRE_FALSE(docs.ok());
  CHECK(docs.error().message().find("too many nodes") != std::string::npos);
}

TEST_CASE("EmitYaml writes kubectl's block style and reads back to the same value") {
  const Json value = Json::parse(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{}},
    "spec":{"containers":[{"name":"c","args":["--port","8080","a: b","true","x\ny"],"ports":[{"containerPort":80}]}],
    "list":[[1,2],[]],"empty":[],"n":null,"f":1.5,"b":false}})");
  const std::string yaml = EmitYaml(value);
  CHECK(
      yaml ==
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: {}\nspec:\n  containers:\n  - name: c\n"
      "    args:\n    - \"--port\"\n    - \"8080\"\n    - \"a: b\"\n    - \"true\"\n    - \"x\\ny\"\n    ports:\n"
      "    - containerPort: 80\n  list:\n  - - 1\n    - 2\n  - []\n  empty: []\n  \"n\": null\n  f: 1.5\n  b: false\n");
  auto back = ParseYamlDocuments(yaml, "emitted");
  REQUIRE(back.ok());
  CHECK((*back)[0] == value);
}

}  // namespace
}  // namespace llm

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
      {"? [a]\n: 1\n", "mapping keys must be strings"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    auto docs = ParseYamlDocuments(c.text, "t");
    REQUIRE_FALSE(docs.ok());
    CHECK(docs.error().message().find(c.want) != std::string::npos);
  }
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

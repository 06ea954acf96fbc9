#include "output/custom_columns.h"

#include <doctest/doctest.h>

#include "fakes/discovery_fixtures.h"

namespace llm {
namespace {

nlohmann::json Fixture() { return nlohmann::json::parse(testing::ReadTestdata("output/custom_columns_list.json")); }

std::string Render(std::string_view spec, const nlohmann::json& document, bool no_headers = false) {
  auto columns = CustomColumns::FromSpec(spec);
  REQUIRE_MESSAGE(columns.ok(), (columns.ok() ? "" : columns.error().message()));
  auto text = columns->Render(document, no_headers);
  REQUIRE_MESSAGE(text.ok(), (text.ok() ? "" : text.error().message()));
  return *text;
}

TEST_CASE("custom columns: a row per item of a List, headers as typed, <none> for what is missing") {
  CHECK(Render("NAME:.metadata.name,GPUS:.spec.gpus,ready:.spec.ready", Fixture()) ==
        "NAME                     GPUS     ready\n"
        "chat                     8        true\n"
        "train-a-very-long-name   16       false\n"
        "x                        <none>   true\n");
}

TEST_CASE("custom columns: relaxed paths, several values joined by commas, maps and nulls as Go prints them") {
  CHECK(Render("name:metadata.name,E:{.spec.engines[*]},L:{spec.limits}", Fixture()) ==
        "name                     E             L\n"
        "chat                     vllm          map[nvidia.com/gpu:8]\n"
        "train-a-very-long-name   vllm,sglang   map[nvidia.com/gpu:16]\n"
        "x                        vllm,sglang   map[nvidia.com/gpu:<nil>]\n");
}

TEST_CASE("custom columns: terminal escapes are defused, an empty path is always <none>") {
  CHECK(Render("N:.spec.note,X:", Fixture()) ==
        "N                  X\n"
        "<none>             <none>\n"
        "esc^[[31mred\\rcr   <none>\n"
        "<none>             <none>\n");
}

TEST_CASE("custom columns: one object is one row, --no-headers drops the header line") {
  const nlohmann::json object = Fixture()["items"][0];
  CHECK(Render("NAME:.metadata.name", object) == "NAME\nchat\n");
  CHECK(Render("NAME:.metadata.name,NS:.metadata.namespace", Fixture(), /*no_headers=*/true) ==
        "chat                     team-a\ntrain-a-very-long-name   team-a\nx                        team-a\n");
}

TEST_CASE("custom columns: kubectl's errors for a bad spec") {
  auto error = [](std::string_view spec) { return CustomColumns::FromSpec(spec).error().message(); };
  CHECK(error("") == "custom-columns format specified but no custom columns given");
  CHECK(error("NAME") == "unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>");
  CHECK(error("A:.a,B") == "unexpected custom-columns spec: B, expected <header>:<json-path-expr>");
  CHECK(error("N:{.a}{.b}") ==
        "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'");
  CHECK(error("N:.spec[") == "unterminated array");
  auto out_of_range = CustomColumns::FromSpec("A:.spec.engines[0],B:.spec.engines[1]").value().Render(Fixture(), false);
  REQUIRE_FALSE(out_of_range.ok());
  CHECK(out_of_range.error().message() == "array index out of bounds: index 1, length 1");
}

TEST_CASE("custom columns file: a line of headers over a line of paths") {
  auto columns = CustomColumns::FromTemplate("NAME   GPUS\n.metadata.name   {.spec.gpus}\n");
  REQUIRE(columns.ok());
  CHECK(columns->Render(Fixture(), false).value() ==
        "NAME                     GPUS\nchat                     8\ntrain-a-very-long-name   16\nx                     "
        "   <none>\n");
  CHECK(CustomColumns::FromTemplate("").error().message() ==
        "invalid template, missing header line. Expected format is one line of space separated headers, one line of "
        "space separated column specs.");
  CHECK(CustomColumns::FromTemplate("NAME\n").error().message() ==
        "invalid template, missing spec line. Expected format is one line of space separated headers, one line of "
        "space separated column specs.");
  CHECK(CustomColumns::FromTemplate("A B\n.a\n").error().message() ==
        "number of headers (2) and field specifications (1) don't match");
}

TEST_CASE("RelaxedJsonPathExpression: the four spellings kubectl accepts") {
  CHECK(RelaxedJsonPathExpression("a.b").value() == "{.a.b}");
  CHECK(RelaxedJsonPathExpression(".a.b").value() == "{.a.b}");
  CHECK(RelaxedJsonPathExpression("{a.b}").value() == "{.a.b}");
  CHECK(RelaxedJsonPathExpression("{.a.b}").value() == "{.a.b}");
  CHECK(RelaxedJsonPathExpression("").value().empty());
  CHECK_FALSE(RelaxedJsonPathExpression("{a}{b}").ok());
}

}  // namespace
}  // namespace llm

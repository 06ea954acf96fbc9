#include "output/output_format.h"

#include <cstdio>
#include <fstream>

#include <doctest/doctest.h>

namespace llm {
namespace {

constexpr auto kAll = {OutputFormat::kWide, OutputFormat::kJson, OutputFormat::kYaml, OutputFormat::kName};

TEST_CASE("ParseOutputFormat accepts the listed formats and the empty default") {
  CHECK(ParseOutputFormat("", kAll).value().format == OutputFormat::kTable);
  CHECK(ParseOutputFormat("wide", kAll).value().format == OutputFormat::kWide);
  CHECK(ParseOutputFormat("json", kAll).value().format == OutputFormat::kJson);
  CHECK(ParseOutputFormat("yaml", kAll).value().format == OutputFormat::kYaml);
  CHECK(ParseOutputFormat("name", kAll).value().format == OutputFormat::kName);
}

TEST_CASE("an unknown format is a usage error that lists the accepted ones") {
  auto r = ParseOutputFormat("xml", kAll);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind() == ErrorKind::kUsage);
  CHECK(r.error().message() ==
        "--output must be one of 'wide', 'json', 'yaml', 'name', 'jsonpath=TEMPLATE', 'jsonpath-file=FILE', "
        "'custom-columns=SPEC' or 'custom-columns-file=FILE', got 'xml'");
  r = ParseOutputFormat("wide", {OutputFormat::kYaml, OutputFormat::kName});
  CHECK(r.error().message() == "--output must be one of 'yaml' or 'name', got 'wide'");
  r = ParseOutputFormat("json", {OutputFormat::kYaml});
  CHECK(r.error().message() == "--output must be 'yaml', got 'json'");
  r = ParseOutputFormat("JSON", kAll);  // kubectl's formats are case-sensitive
  CHECK_FALSE(r.ok());
}

TEST_CASE("the template forms come with json, and only with json") {
  auto jsonpath = ParseOutputFormat("jsonpath={.metadata.name}", kAll);
  REQUIRE(jsonpath.ok());
  CHECK(jsonpath->format == OutputFormat::kJsonPath);
  CHECK(jsonpath->jsonpath->Execute(nlohmann::json::parse(R"({"metadata":{"name":"chat"}})")).value() == "chat");
  auto columns = ParseOutputFormat("custom-columns=NAME:.metadata.name", kAll);
  REQUIRE(columns.ok());
  CHECK(columns->format == OutputFormat::kCustomColumns);
  CHECK(columns->columns->Render(nlohmann::json::parse(R"({"metadata":{"name":"chat"}})"), false).value() ==
        "NAME\nchat\n");
  auto refused = ParseOutputFormat("jsonpath={.a}", {OutputFormat::kYaml, OutputFormat::kName});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message() == "--output must be one of 'yaml' or 'name', got 'jsonpath={.a}'");
}

TEST_CASE("a bad template is a usage error in kubectl's words, before anything runs") {
  auto error = [](std::string_view text) {
    auto r = ParseOutputFormat(text, kAll);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind() == ErrorKind::kUsage);
    return r.error().message();
  };
  CHECK(error("jsonpath={.items[") == "error parsing jsonpath {.items[, unterminated array");
  CHECK(error("jsonpath") == "--output jsonpath: template format specified but no template given");
  CHECK(error("jsonpath=") == "--output jsonpath: template format specified but no template given");
  CHECK(error("custom-columns=NAME") ==
        "--output custom-columns: unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>");
  CHECK(error("custom-columns") ==
        "--output custom-columns: custom-columns format specified but no custom columns given");
  CHECK(error("jsonpath-file=/nonexistent/t.jsonpath")
            .starts_with("--output jsonpath-file: error reading template /nonexistent/t.jsonpath, "));
}

TEST_CASE("the -file forms read the template from the file") {
  const std::string path = "/tmp/llm_output_format_test_template";
  { std::ofstream(path) << "{.metadata.name}{\"\\n\"}"; }
  auto jsonpath = ParseOutputFormat("jsonpath-file=" + path, kAll);
  REQUIRE_MESSAGE(jsonpath.ok(), (jsonpath.ok() ? "" : jsonpath.error().message()));
  CHECK(jsonpath->jsonpath->Execute(nlohmann::json::parse(R"({"metadata":{"name":"chat"}})")).value() == "chat\n");
  { std::ofstream(path) << "NAME  NS\n.metadata.name  .metadata.namespace\n"; }
  auto columns = ParseOutputFormat("custom-columns-file=" + path, kAll);
  REQUIRE_MESSAGE(columns.ok(), (columns.ok() ? "" : columns.error().message()));
  CHECK(columns->columns->Render(nlohmann::json::parse(R"({"metadata":{"name":"chat"}})"), false).value() ==
        "NAME   NS\nchat   <none>\n");
  std::remove(path.c_str());
}

TEST_CASE("AcceptedOutputNames: what the help lists") {
  const OutputFormat table_json[] = {OutputFormat::kTable, OutputFormat::kWide, OutputFormat::kJson};
  CHECK(AcceptedOutputNames(table_json) == std::vector<std::string>{"wide", "json", "jsonpath=TEMPLATE",
                                                                    "jsonpath-file=FILE", "custom-columns=SPEC",
                                                                    "custom-columns-file=FILE"});
  const OutputFormat yaml_only[] = {OutputFormat::kYaml};
  CHECK(AcceptedOutputNames(yaml_only) == std::vector<std::string>{"yaml"});
}

}  // namespace
}  // namespace llm

#include "output/output_format.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

constexpr auto kAll = {OutputFormat::kWide, OutputFormat::kJson, OutputFormat::kYaml, OutputFormat::kName};

TEST_CASE("ParseOutputFormat accepts the listed formats and the empty default") {
  CHECK(ParseOutputFormat("", kAll).value() == OutputFormat::kTable);
  CHECK(ParseOutputFormat("wide", kAll).value() == OutputFormat::kWide);
  CHECK(ParseOutputFormat("json", kAll).value() == OutputFormat::kJson);
  CHECK(ParseOutputFormat("yaml", kAll).value() == OutputFormat::kYaml);
  CHECK(ParseOutputFormat("name", kAll).value() == OutputFormat::kName);
}

TEST_CASE("an unknown format is a usage error that lists the accepted ones") {
  auto r = ParseOutputFormat("xml", kAll);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind() == ErrorKind::kUsage);
  CHECK(r.error().message() == "--output must be one of 'wide', 'json', 'yaml' or 'name', got 'xml'");
  r = ParseOutputFormat("wide", {OutputFormat::kJson, OutputFormat::kYaml});
  CHECK(r.error().message() == "--output must be one of 'json' or 'yaml', got 'wide'");
  r = ParseOutputFormat("yaml", {OutputFormat::kJson});
  CHECK(r.error().message() == "--output must be 'json', got 'yaml'");
  r = ParseOutputFormat("JSON", kAll);  // kubectl's formats are case-sensitive
  CHECK_FALSE(r.ok());
}

}  // namespace
}  // namespace llm

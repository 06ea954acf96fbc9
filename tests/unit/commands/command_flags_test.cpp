#include "commands/command_flags.h"

#include <doctest/doctest.h>
#include <CLI/CLI.hpp>

namespace llm {
namespace {

TEST_CASE("AddOutputFlag: -o/--output with help listing what the command accepts") {
  CLI::App app;
  std::string output;
  constexpr OutputFormat kAccepted[] = {OutputFormat::kTable, OutputFormat::kWide, OutputFormat::kJson};
  AddOutputFlag(&app, output, kAccepted);
  const CLI::Option* option = app.get_option("--output");
  REQUIRE(option != nullptr);
  CHECK(option->check_sname("o"));
  CHECK(option->get_description() ==
        "Output format: wide, json, jsonpath=TEMPLATE, jsonpath-file=FILE, custom-columns=SPEC or "
        "custom-columns-file=FILE (default: a table)");
  app.parse(std::vector<std::string>{"json", "-o"});  // CLI11 takes the arguments reversed
  CHECK(output == "json");
}

TEST_CASE("AddDryRunFlag: --dry-run with help listing the strategies, none first") {
  CLI::App app;
  std::string dry_run;
  constexpr kube::DryRun kAccepted[] = {kube::DryRun::kNone, kube::DryRun::kServer};
  AddDryRunFlag(&app, dry_run, kAccepted, "server asks the server to check the change");
  const CLI::Option* option = app.get_option("--dry-run");
  REQUIRE(option != nullptr);
  CHECK(option->get_description() == "none (default) or server: server asks the server to check the change");
}

}  // namespace
}  // namespace llm

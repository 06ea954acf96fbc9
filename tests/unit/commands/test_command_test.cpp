#include "commands/test_command.h"

#include <sstream>

#include <doctest/doctest.h>

#include "fakes/run_cli.h"

namespace llm {
namespace {

TEST_CASE("test flags: defaults, durations to the millisecond, and what is refused") {
  auto ok = ValidateTestFlags({.name = "chat", .ttft_budget = "750ms", .timeout = "2m"});
  REQUIRE(ok.ok());
  CHECK(ok->options.ttft_budget == std::chrono::milliseconds(750));
  CHECK(ok->options.timeout == std::chrono::minutes(2));
  CHECK(ok->options.max_tokens == 1);
  CHECK(ok->options.prompt == "Hello");
  CHECK(ok->output.format == OutputFormat::kTable);
  struct Case {
    TestFlags flags;
    const char* message;
  };
  const Case cases[] = {
      {{}, "a workload NAME is required (as given to serve)"},
      {{.name = "chat", .max_tokens = 0}, "--max-tokens must be between 1 and 4096, got 0"},
      {{.name = "chat", .prompt = ""}, "--prompt must not be empty"},
      {{.name = "chat", .ttft_budget = "2"},
       "invalid --ttft-budget \"2\": missing unit; use a number with a unit: ms, s, m or h (e.g. 500ms, 2s, 1m30s)"},
      {{.name = "chat", .ttft_budget = "0"}, "--ttft-budget must be more than 0"},
      {{.name = "chat", .timeout = "0"}, "--timeout must be more than 0"},
      {{.name = "chat", .output = "wide"},
       "--output must be one of 'json', 'yaml', 'jsonpath=TEMPLATE', 'jsonpath-file=FILE', 'custom-columns=SPEC' or "
       "'custom-columns-file=FILE', got 'wide'"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.message);
    auto checked = ValidateTestFlags(c.flags);
    REQUIRE_FALSE(checked.ok());
    CHECK(checked.error().kind() == ErrorKind::kUsage);
    CHECK(checked.error().message() == c.message);
  }
}

TEST_CASE("test prints the report and hands the failed stage's exit code on") {
  EndpointTestReport report;
  report.name = "chat";
  report.exit_code = kTestExitModels;
  report.message = "service/chat serves 'a' at /v1/models, not 'b'";
  report.stages.push_back({TestStage::kAccess, CheckOutcome::kPassed, {}, {}});
  std::istringstream in;
  std::ostringstream out, err;
  int exit_code = 0;
  Status printed = PrintEndpointTest(report, OutputFormat::kJson, IoStreams{in, out, err}, exit_code);
  REQUIRE_FALSE(printed.ok());
  CHECK(printed.error().message() == report.message);
  CHECK(exit_code == kTestExitModels);
  CHECK(nlohmann::json::parse(out.str())["status"]["exitCode"] == kTestExitModels);
}

TEST_CASE("kubectl llm test and metrics are commands, with usage errors for bad flags") {
  testing::CliResult no_name = testing::RunCli({"test"});
  CHECK(no_name.code == 2);
  CHECK(no_name.err == "error: a workload NAME is required (as given to serve)\n");
  testing::CliResult budget = testing::RunCli({"test", "chat", "--ttft-budget", "fast"});
  CHECK(budget.code == 2);
  testing::CliResult help = testing::RunCli({"test", "--help"});
  CHECK(help.code == 0);
  CHECK(help.out.find("9 --ttft-budget exceeded") != std::string::npos);
  testing::CliResult metrics = testing::RunCli({"metrics", "chat", "-w", "--check"});
  CHECK(metrics.code == 2);
  CHECK(metrics.err == "error: --check reads the metrics once and exits with the verdict; drop -w (--watch)\n");
}

}  // namespace
}  // namespace llm

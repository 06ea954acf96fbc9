#include "commands/test_command.h"

#include <memory>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "commands/cluster_session.h"
#include "commands/command_flags.h"
#include "output/object_printer.h"
#include "util/duration.h"

namespace llm {

namespace {
constexpr int kMaxTokensLimit = 4096;
constexpr OutputFormat kTestOutputs[] = {OutputFormat::kTable, OutputFormat::kJson, OutputFormat::kYaml};
}  // namespace

Result<CheckedTestFlags> ValidateTestFlags(const TestFlags& flags) {
  CheckedTestFlags out;
  if (flags.name.empty()) return Error(ErrorKind::kUsage, "a workload NAME is required (as given to serve)");
  out.options.name = flags.name;
  out.options.per_pod = flags.per_pod;
  if (flags.prompt.empty()) return Error(ErrorKind::kUsage, "--prompt must not be empty");
  out.options.prompt = flags.prompt;
  if (flags.max_tokens < 1 || flags.max_tokens > kMaxTokensLimit) {
    return Error(ErrorKind::kUsage,
                 fmt::format("--max-tokens must be between 1 and {}, got {}", kMaxTokensLimit, flags.max_tokens));
  }
  out.options.max_tokens = flags.max_tokens;
  if (!flags.ttft_budget.empty()) {
    LLM_ASSIGN_OR_RETURN(std::chrono::milliseconds budget, ParseDurationMillis(flags.ttft_budget, "--ttft-budget"));
    if (budget.count() == 0) return Error(ErrorKind::kUsage, "--ttft-budget must be more than 0");
    out.options.ttft_budget = budget;
  }
  LLM_ASSIGN_OR_RETURN(out.options.timeout, ParseDurationMillis(flags.timeout, "--timeout"));
  if (out.options.timeout.count() == 0) return Error(ErrorKind::kUsage, "--timeout must be more than 0");
  out.options.model = flags.model;
  LLM_ASSIGN_OR_RETURN(out.output, ParseOutputFormat(flags.output, kTestOutputs));
  return out;
}

Status PrintEndpointTest(const EndpointTestReport& report, const OutputSpec& output, IoStreams streams,
                         int& exit_code) {
  if (output.is_table()) {
    streams.out << EndpointTestTable(report);
  } else {
    LLM_ASSIGN_OR_RETURN(std::string text, FormatDocument(EndpointTestJson(report), output));
    streams.out << text;
  }
  exit_code = report.exit_code;
  if (report.passed()) return Ok();
  return Error(ErrorKind::kInvalidInput, report.message);
}

void SetupTestCommand(CLI::App* cmd, CommandContext& ctx) {
  auto flags = std::make_shared<TestFlags>();
  cmd->add_option("NAME", flags->name, "The served workload's name (as given to serve)");
  cmd->add_flag("--per-pod", flags->per_pod,
                "Also ask each ready pod for its models, a completion and a stream, naming a bad replica "
                "(the Service alone picks any)");
  cmd->add_option("--prompt", flags->prompt, "The prompt of the completions")->capture_default_str();
  cmd->add_option("--max-tokens", flags->max_tokens,
                  fmt::format("Tokens of the completion (the streamed one asks for at least {})", kStreamMinTokens))
      ->capture_default_str();
  cmd->add_option("--ttft-budget", flags->ttft_budget,
                  "Fail (exit 9) when the streamed time to first token is longer, e.g. 500ms or 2s");
  cmd->add_option("--timeout", flags->timeout, "How long the whole test may take")->capture_default_str();
  cmd->add_option("--model", flags->model,
                  "The model id /v1/models must list (default: the workload's served model name)");
  AddOutputFlag(cmd, flags->output, kTestOutputs, "a table of the stages");
  cmd->footer(
      "Exit codes: 0 passed, 1 error, 2 usage, 3 access (services/proxy or pods/proxy not allowed), "
      "4 endpoints, 5 health, 6 models, 7 completion, 8 stream, 9 --ttft-budget exceeded.");
  cmd->callback([flags, &ctx] {
    auto checked = ValidateTestFlags(*flags);
    if (!checked.ok()) return ctx.Finish(checked.error());
    auto session = ClusterSession::Open(ctx.global.kube, ctx.streams);
    if (!session.ok()) return ctx.Finish(session.error());
    SystemClock clock;
    auto report =
        RunEndpointTest(checked->options, (*session)->client(), (*session)->mapper(), (*session)->ns(), clock);
    if (!report.ok()) return ctx.Finish(report.error());
    int exit_code = 0;
    Status printed = PrintEndpointTest(*report, checked->output, ctx.streams, exit_code);
    if (!printed.ok()) ctx.error_exit_code = exit_code;
    ctx.Finish(printed);
  });
}

}  // namespace llm

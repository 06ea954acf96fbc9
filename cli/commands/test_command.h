// `kubectl llm test NAME`: a CI smoke test of a served model, entirely
// through the API server's proxy (commands/endpoint_test.h has the stages).
// Prints every stage with its duration (or the EndpointTest object with -o
// json|yaml) and exits with the code of the first stage that failed, after
// one sentence naming the target, the stage and what it answered.
#pragma once

#include <string>

#include "commands/command.h"
#include "commands/endpoint_test.h"
#include "output/output_format.h"

namespace llm {

/// The flags as given; ValidateTestFlags turns them into options.
struct TestFlags {
  std::string name{};
  bool per_pod = false;
  std::string prompt = "Hello";
  int max_tokens = 1;
  std::string ttft_budget{};  ///< "" = none
  std::string timeout = "60s";
  std::string model{};
  std::string output{};
};

struct CheckedTestFlags {
  EndpointTestOptions options;
  OutputSpec output{};
};

Result<CheckedTestFlags> ValidateTestFlags(const TestFlags& flags);

/// Prints the report; a failed stage becomes an Error of the report's message,
/// its exit code in `exit_code`.
Status PrintEndpointTest(const EndpointTestReport& report, const OutputSpec& output, IoStreams streams, int& exit_code);

void SetupTestCommand(CLI::App* cmd, CommandContext& ctx);

}  // namespace llm

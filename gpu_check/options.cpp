#include "options.h"

#include <CLI/CLI.hpp>

#include "profile.h"

namespace llm::gpu_check {

Result<Options> ParseOptions(const std::vector<std::string>& args) {
  Options o;
  std::string tests = "all";
  int world_size = 0;
  int rank = -1;
  CLI::App app("llm-gpu-check: bandwidth and correctness self-test of a GPU node, with a typed verdict",
               "llm-gpu-check");
  app.add_option("--tests", tests, "Tests to run: all, or a comma-separated list (see --list)");
  app.add_flag("--list", o.list, "List the tests and exit");
  app.add_flag("--version", o.version, "Print the version and exit");
  app.add_option("--expect-gpus", o.expect_gpus, "GPU count the node must have (0: any)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--profile", o.profile, "quick (under 60 s on 8 GPUs) or full");
  app.add_option("--thresholds", o.thresholds_path, "JSON file overriding the built-in floors");
  app.add_option("--json", o.json_path, "Also write the JSON document to this file");
  app.add_option("--termination-log", o.termination_log_path, "Where the <= 4 KiB summary goes (empty: nowhere)");
  app.add_option("--timeout", o.timeout_s, "Overall deadline in seconds (0: sum of the phase deadlines)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--world-size", world_size, "Nodes in a multi-node nccl run (default: $LLM_GPU_CHECK_WORLD_SIZE or 1)")
      ->check(CLI::PositiveNumber);
  app.add_option("--rank", rank, "This node's index (default: $JOB_COMPLETION_INDEX or 0)")
      ->check(CLI::NonNegativeNumber);

  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 consumes from the back
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    o.help = true;
    o.help_text = app.help();
    return o;
  } catch (const CLI::ParseError& e) {
    return Failure(ExitCode::kUsage, e.what());
  }
  GC_ASSIGN_OR_RETURN(o.tests, ParseTestSelection(tests));
  GC_RETURN_IF_ERROR(GetProfile(o.profile));
  if (world_size > 0) o.world_size = world_size;
  if (rank >= 0) o.rank = rank;
  return o;
}

}  // namespace llm::gpu_check

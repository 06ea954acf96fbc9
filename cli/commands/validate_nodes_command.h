// `kubectl llm validate-nodes [NODE...]`: runs the GPU self-test (gpu_check/)
// as one pod per node, records verdicts on the nodes and prints a report.
// The decisions live in cli/validate/ (README.md there); this is the I/O.
#pragma once

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "commands/command.h"
#include "kube/rest_client.h"
#include "util/clock.h"
#include "util/io_streams.h"
#include "util/result.h"
#include "validate/validate_options.h"

namespace llm {

/// Where the self-test pods go unless -n names another namespace.
inline constexpr const char* kGpuCheckNamespace = "kubectl-llm-gpu-check";

struct ValidateNodesEnv {
  std::shared_ptr<kube::RestClient> client;
  Clock* clock = nullptr;
  std::string ns;        ///< the namespace for the pods
  std::string run_id;    ///< "" = a random one
};

/// Returns the exit code (ReportExitCode) when the run completed; errors are
/// usage errors or "could not run" (ValidateNodesExitCodeForError).
Result<int> RunValidateNodes(const ValidateNodesOptions& options, const ValidateNodesEnv& env, IoStreams streams);

void SetupValidateNodesCommand(CLI::App& root, CommandContext& ctx);

}  // namespace llm

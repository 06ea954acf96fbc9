// `kubectl llm validate-nodes [NODE...]`: runs the GPU self-test (gpu_check/)
// as one pod per node, records verdicts on the nodes and prints a report.
// The decisions live in cli/node_validation/ (README.md there); this is the I/O.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "commands/command.h"
#include "kube/rest_client.h"
#include "node_validation/validate_options.h"
#include "util/cli11_forward.h"
#include "util/clock.h"
#include "util/file_system.h"
#include "util/io_streams.h"
#include "util/result.h"

namespace llm {

/// Where the self-test pods go unless -n names another namespace.
inline constexpr const char* kGpuCheckNamespace = "kubectl-llm-gpu-check";

struct ValidateNodesEnv {
  std::shared_ptr<kube::RestClient> client;
  Clock* clock = nullptr;
  std::string ns;      ///< the namespace for the pods
  std::string run_id;  ///< "" = a random one
  /// The signal (SIGINT, SIGTERM) that asked the command to stop, 0 while none
  /// did; polled between steps. Empty: never interrupted.
  std::function<int()> interrupted;
  /// Where --report writes its page; nullptr: the disk.
  FileSystem* files = nullptr;
};

/// Returns the exit code (ReportExitCode) when the run completed, or 128 +
/// signal (130 for SIGINT, 143 for SIGTERM) when it was interrupted: nothing
/// more was launched, this run's objects were deleted unless --keep, the report
/// of what finished was printed, and only verdicts reached before the signal
/// were recorded. Errors are usage errors or "could not run"
/// (ValidateNodesExitCodeForError).
Result<int> RunValidateNodes(const ValidateNodesOptions& options, const ValidateNodesEnv& env, IoStreams streams);

/// `--from-json FILE --report FILE.html`: draws a saved `-o json` result as
/// the HTML page, touching no cluster. Returns 0; a file that cannot be read,
/// parsed or written is an error naming the flag.
Result<int> RunValidateNodesFromJson(const ValidateNodesOptions& options, FileSystem& files, IoStreams streams);

void SetupValidateNodesCommand(CLI::App* cmd, CommandContext& ctx);

}  // namespace llm

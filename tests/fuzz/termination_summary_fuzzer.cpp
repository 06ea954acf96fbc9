// gpu_check's termination summary, as validate-nodes reads it from a pod's
// status (any text a container may leave there). The first byte is the
// container's exit code; the rest is the termination message.
// - What parses, written again within Kubernetes' 4 KiB, parses again to the
//   same verdict, exit code and node.
// - validate-nodes (ReadCheckResult) passes a node only when the summary is a
//   complete pass and the container exited 0: no message, however made,
//   records a pass for a run that did not finish passing.
#include <cstddef>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "fuzz/fuzz_check.h"
#include "node_validation/check_result.h"
#include "termination_summary.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace llm;
  using gpu_check::TestStatus;
  if (size == 0) return 0;
  const int exit_code = data[0] % 8 == 7 ? 137 : data[0] % 8;  // 0..6, or killed
  const std::string_view message = fuzz::Text(data + 1, size - 1);
  auto parsed = gpu_check::ParseTerminationSummary(message);

  const nlohmann::json terminated = {{"exitCode", exit_code}, {"message", std::string(message)}, {"reason", "Error"}};
  const CheckOutcome outcome = ReadCheckResult(terminated);
  if (outcome.verdict == Verdict::kPass) {
    FUZZ_CHECK(parsed.ok() && parsed->status == TestStatus::kPass && !parsed->partial && exit_code == 0 &&
                   parsed->exit_code != kCheckExitUsage,
               "a node passed without a complete passing summary and exit code 0");
  } else {
    FUZZ_CHECK(!outcome.reason.empty(), "a failed or errored node without a reason");
  }

  if (!parsed.ok()) {
    FUZZ_CHECK(!parsed.failure().message().empty(), "an error without a message");
    return 0;
  }
  const std::string again = gpu_check::FormatTerminationSummary(*parsed);
  FUZZ_CHECK(again.size() <= gpu_check::kTerminationSummaryMaxBytes, "a written summary over 4 KiB");
  auto reparsed = gpu_check::ParseTerminationSummary(again);
  FUZZ_CHECK(reparsed.ok(), "a written summary does not parse");
  FUZZ_CHECK(reparsed->status == parsed->status && reparsed->exit_code == parsed->exit_code &&
                 reparsed->partial == parsed->partial && reparsed->node == parsed->node,
             "the verdict or the node changed on the way through");
  return 0;
}

// The termination summary: a compact JSON object of at most 4 KiB that the
// program writes to the termination-log file, so that `validate-nodes` reads
// each node's verdict from pod status (containerStatuses[].state.terminated.
// message) without scraping logs. Kubernetes truncates messages over 4096 bytes,
// so the writer shrinks the summary itself and says so ("truncated": true).
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "report.h"
#include "status.h"

namespace llm::gpu_check {

/// Kubernetes' limit for one container's termination message.
inline constexpr std::size_t kTerminationSummaryMaxBytes = 4096;

/// What validate-nodes needs from a run.
struct TerminationSummary {
  int schema_version = kSchemaVersion;
  TestStatus status = TestStatus::kPass;
  int exit_code = 0;
  std::string exit_reason;                    ///< ExitCodeName
  std::string reason;
  std::string node;                           ///< NODE_NAME, else the hostname
  int gpu_count = 0;
  std::string model;                          ///< thresholds model of GPU 0, "" when unknown
  std::map<std::string, TestStatus> tests;    ///< test key -> status
  std::map<std::string, double> worst;        ///< metric -> lowest median over its series (GB/s)
  std::vector<int> suspect_gpus;
  std::vector<SuspectLink> suspect_links;
  bool partial = false;
  bool truncated = false;                     ///< lists or reason were shortened to fit
};

/// The summary of an evaluated report.
TerminationSummary SummarizeReport(const Report& report);

/// Serialises to at most `max_bytes` (default 4096): drops `worst`, then
/// shortens the suspect lists, then the reason, until it fits.
std::string FormatTerminationSummary(const TerminationSummary& summary,
                                     std::size_t max_bytes = kTerminationSummaryMaxBytes);

/// Parses a termination message back. Unknown fields are ignored (newer
/// writers); a missing required field, a wrong type or an unknown
/// schema_version is an error naming the field. The Failure's code is not meaningful here.
Result<TerminationSummary> ParseTerminationSummary(std::string_view text);

}  // namespace llm::gpu_check

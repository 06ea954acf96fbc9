// The termination summary: a compact JSON object of at most 4 KiB that the
// program writes to the termination-log file, so that `validate-nodes` reads
// each node's verdict from pod status (containerStatuses[].state.terminated.
// message) without scraping logs. Kubernetes truncates messages over 4096 bytes,
// so the writer shrinks the summary itself and says so ("truncated": true).
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report.h"
#include "status.h"

namespace llm::gpu_check {

/// Kubernetes' limit for one container's termination message.
inline constexpr std::size_t kTerminationSummaryMaxBytes = 4096;

/// A health finding as the summary carries it: which GPU (-1: the node) and which rule.
struct SummaryFinding {
  int gpu = 0;
  std::string rule;
  bool operator==(const SummaryFinding&) const = default;
};

/// What validate-nodes needs from a run.
struct TerminationSummary {
  int schema_version = kSchemaVersion;
  TestStatus status = TestStatus::kPass;
  int exit_code = 0;
  std::string exit_reason;  ///< ExitCodeName
  std::string reason;
  std::string node;  ///< NODE_NAME, else the hostname
  int gpu_count = 0;
  std::string model;                        ///< thresholds model of GPU 0, "" when unknown
  std::map<std::string, TestStatus> tests;  ///< test key -> status
  std::map<std::string, double> worst;      ///< metric -> lowest median over its series (GB/s)
  std::vector<int> suspect_gpus;
  std::vector<SuspectLink> suspect_links;
  bool partial = false;
  bool truncated = false;  ///< lists or reason were shortened to fit
  // Detail for validate-nodes' pictures (--report); the first thing dropped
  // when the summary would not fit.
  /// metric -> median per GPU index (hbm_copy, h2d, d2h), nullopt where not measured.
  std::map<std::string, std::vector<std::optional<double>>> per_gpu = {};
  /// p2p_unidir medians [gpu][peer]; nullopt on the diagonal and where not measured.
  std::vector<std::vector<std::optional<double>>> p2p_unidir = {};
  /// The floors GPU 0's model was judged against (GB/s), by metric.
  std::map<std::string, double> floors = {};
  /// Health findings (only when the health test ran: health_checked).
  bool health_checked = false;
  std::vector<SummaryFinding> health_fail = {};
  std::vector<SummaryFinding> health_warn = {};
};

/// The summary of an evaluated report.
TerminationSummary SummarizeReport(const Report& report);

/// Serialises to at most `max_bytes` (default 4096): drops the P2P matrix,
/// the per-GPU figures and the floors, then the health warnings, then
/// `worst`, then shortens the health failures and the suspect lists, then the
/// reason, until it fits.
std::string FormatTerminationSummary(const TerminationSummary& summary,
                                     std::size_t max_bytes = kTerminationSummaryMaxBytes);

/// Parses a termination message back. Unknown fields are ignored (newer
/// writers); a missing required field, a wrong type or an unknown
/// schema_version is an error naming the field. The Failure's code is not meaningful here.
Result<TerminationSummary> ParseTerminationSummary(std::string_view text);

}  // namespace llm::gpu_check

// NodeValidationReport: what validate-nodes prints (a table for people, a
// stable kubectl-llm.dev/v1alpha1 document for scripts, schema in README.md)
// and the exit code it earns.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "node_validation/node_result.h"
#include "node_validation/node_selection.h"
#include "node_validation/pair_run.h"
#include "node_validation/validate_options.h"
#include "util/error.h"

namespace llm {

/// Exit codes of validate-nodes. 2 is root_command.h's kExitUsage.
inline constexpr int kValidateExitAllPassed = 0;    ///< every tested node passed
inline constexpr int kValidateExitNodesFailed = 1;  ///< some tested node has verdict fail or error
inline constexpr int kValidateExitUsage = 2;        ///< bad flags or arguments
inline constexpr int kValidateExitNotRun = 3;       ///< could not run: connection, auth or API errors

struct NodeValidationReport {
  std::string profile;
  std::string image;
  std::string tool_version;
  TimePoint started_at;
  TimePoint finished_at;
  bool dry_run = false;
  bool recorded = false;             ///< --record patches were applied
  bool tainted = false;              ///< --taint-failed patches were applied
  std::vector<NodeResult> results;   ///< tested nodes, in test order
  std::vector<SkippedNode> skipped;  ///< with reasons
  /// --multi-node: adds spec.multiNode, status.pairs, nodes[].multiNode and the
  /// table's MULTI-NODE BUSBW column and pair table. Off, the report is exactly
  /// what it was before --multi-node existed.
  bool multi_node = false;
  std::vector<PairTestResult> pairs;                              ///< pairs that were started, in order
  std::map<std::string, MultiNodeNodeResult> multi_node_results;  ///< by node: the nodes that were paired
};

/// Folds the pair tests into the node verdicts: a node found bad fails, an
/// inconclusive or errored one is an error (it was not shown to work with
/// others), reasons prefixed "multi-node: ". Good and untested nodes keep
/// their single-node verdict.
void ApplyMultiNodeResults(const std::vector<MultiNodeNodeResult>& multi, NodeValidationReport& report);

/// Copies each tested node's product and zone from the selection (the run does not know them).
void AddProducts(const NodeSelection& selection, std::vector<NodeResult>& results);

/// 0 when every tested node passed (also when none was tested: the skipped
/// list says why), else 1.
int ReportExitCode(const NodeValidationReport& report);

/// The exit code for an error that stopped the command: 2 for usage errors,
/// 3 for everything else, so scripts tell "bad nodes" (1) from "could not check" (3).
int ValidateNodesExitCodeForError(const Error& error);

nlohmann::ordered_json ReportJson(const NodeValidationReport& report);

/// NODE PRODUCT VERDICT HBM H2D D2H P2P MIN ALLREDUCE BUSBW DURATION REASON,
/// GB/s with one decimal, "-" for figures not measured; skipped nodes follow
/// with verdict "skipped". Columns are padded like kubectl's (three spaces).
/// With multi_node: a MULTI-NODE BUSBW column after ALLREDUCE BUSBW, then a
/// blank line and one row per pair: NODES JOB ROUND VERDICT BUSBW DURATION REASON.
std::string FormatReportTable(const NodeValidationReport& report);

/// -o json (two-space indent) or yaml; any other format, the table. Each ends in a newline.
std::string FormatReport(const NodeValidationReport& report, OutputFormat format);
/// The same for any -o: jsonpath and custom-columns read the -o json document.
Result<std::string> FormatReport(const NodeValidationReport& report, const OutputSpec& output);

}  // namespace llm

// The flags of `kubectl llm validate-nodes` and their validation: raw strings
// in, typed and checked values out, every error naming the flag and what it
// accepts (usage errors, exit 2).
#pragma once

#include <string>
#include <vector>

#include "kube/dry_run.h"
#include "kube/label_selector.h"
#include "output/output_format.h"
#include "util/duration.h"

namespace llm {

/// As the flags arrive (CLI11 binds these fields directly).
struct ValidateNodesOptions {
  std::vector<std::string> nodes;          ///< positional NODE...
  std::string selector;                    ///< -l, --selector
  std::string profile = "quick";           ///< --profile quick|full
  std::string image;                       ///< --image; "" = the image built with this plugin
  std::string timeout;                     ///< --timeout; "" = by profile (quick 10m, full 30m)
  int max_parallel = 4;                    ///< --max-parallel
  bool record = false;                     ///< --record: label and annotate nodes
  bool taint_failed = false;               ///< --taint-failed
  bool include_busy = false;               ///< --include-busy
  bool keep = false;                       ///< --keep: leave finished pods for inspection
  bool multi_node = false;                 ///< --multi-node: add paired two-node NCCL tests
  std::string dry_run;                     ///< --dry-run: "" | none | client | server
  std::string output;                      ///< -o: "" (the table) | json | yaml | jsonpath=... | custom-columns=...
  std::string validity = "7d";             ///< --validity: how long a recorded pass counts
  std::string unschedulable_grace = "2m";  ///< --unschedulable-grace
  std::string report;                      ///< --report FILE.html: also draw the results as one HTML page
  std::string from_json;                   ///< --from-json FILE: draw a saved -o json result (no cluster)
};

/// What -o and --dry-run accept (read by the flags' help and by their parsing).
inline constexpr OutputFormat kValidateNodesOutputs[] = {OutputFormat::kTable, OutputFormat::kJson,
                                                         OutputFormat::kYaml};
inline constexpr kube::DryRun kValidateNodesDryRuns[] = {kube::DryRun::kNone, kube::DryRun::kClient,
                                                         kube::DryRun::kServer};

/// The checked, typed form the rest of validate-nodes works with.
struct ValidateNodesConfig {
  std::vector<std::string> nodes;  ///< sorted, duplicates removed
  LabelSelector selector;
  std::string profile;
  std::string image;
  Seconds timeout{0};
  int max_parallel = 1;
  bool record = false;
  bool taint_failed = false;
  bool include_busy = false;
  bool keep = false;
  bool multi_node = false;
  kube::DryRun dry_run = kube::DryRun::kNone;
  OutputSpec output{};
  Seconds validity{0};
  Seconds unschedulable_grace{0};
  std::string report_path;  ///< "" = no HTML page
  std::string from_json;    ///< "" = run the self-test; else only draw this saved result
};

/// Default --timeout per profile; the pod's activeDeadlineSeconds should be a
/// little longer so validate-nodes, not the kubelet, reports the timeout.
Seconds DefaultCheckTimeout(const std::string& profile);

Result<ValidateNodesConfig> ValidateNodesFlags(const ValidateNodesOptions& options);

}  // namespace llm

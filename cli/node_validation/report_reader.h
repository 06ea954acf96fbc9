// Reading a saved NodeValidationReport (`validate-nodes -o json`) back, so
// `validate-nodes --from-json FILE --report FILE.html` can draw an old run
// again without a cluster. The inverse of ReportJson (validation_report.h).
#pragma once

#include <nlohmann/json.hpp>

#include "node_validation/validation_report.h"
#include "util/result.h"

namespace llm {

/// Parses a kubectl-llm.dev/v1alpha1 NodeValidationReport. Fields added
/// later in v1alpha1 are optional (a report from before them reads with
/// them empty); a missing or mistyped required field is a usage error naming
/// its path, e.g. `status.nodes[3].verdict: "maybe" is not a verdict (pass, fail, error)`.
Result<NodeValidationReport> ParseReportJson(const nlohmann::json& document);

}  // namespace llm

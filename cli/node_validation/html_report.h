// The validate-nodes report as one self-contained HTML page
// (`validate-nodes --report FILE.html`, also from a saved JSON result with
// `--from-json`): a fleet summary by verdict, GPU product and zone; a node
// table sortable by any column; per node the GPU-to-GPU bandwidth matrix as a
// heatmap, HBM and PCIe bars against their floors and the health findings;
// the multi-node pairs with their bus bandwidth; and the failure reasons.
// Inline CSS, SVG and a few lines of JavaScript: it opens with no network.
#pragma once

#include <string>

#include "node_validation/validation_report.h"

namespace llm {

/// The page. Every string from the report is HTML-escaped. A node table's
/// column can also be sorted from the address: `report.html#sort=hbm` (or
/// `#sort=-hbm`, descending), keys node, zone, product, verdict, hbm, h2d,
/// d2h, p2p, allreduce, duration.
std::string RenderHtmlReport(const NodeValidationReport& report);

}  // namespace llm

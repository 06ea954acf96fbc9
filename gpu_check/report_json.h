// ToJson: the versioned JSON document of a run (schema in gpu_check/README.md),
// printed on stdout as one line and written to --json FILE.
#pragma once

#include <nlohmann/json.hpp>

#include "report.h"

namespace llm::gpu_check {

/// The whole report; bandwidths are rounded to 0.001 GB/s so documents diff well.
nlohmann::json ToJson(const Report& report);

}  // namespace llm::gpu_check

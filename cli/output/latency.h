// A request latency for a sentence or a table cell: "85ms" under a second,
// "1.52s" from one second up (test's stages, metrics' TTFT/ITL columns).
#pragma once

#include <string>

namespace llm {

std::string FormatLatency(double seconds);

}  // namespace llm

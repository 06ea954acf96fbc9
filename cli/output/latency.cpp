#include "output/latency.h"

#include <cmath>

#include <fmt/format.h>

namespace llm {

std::string FormatLatency(double seconds) {
  if (seconds < 1) return fmt::format("{}ms", static_cast<long long>(std::llround(seconds * 1000)));
  return fmt::format("{:.2f}s", seconds);
}

}  // namespace llm

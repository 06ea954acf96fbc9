#include "bandwidth.h"

namespace llm::gpu_check {

double GbPerSecond(std::uint64_t bytes, double seconds) {
  if (seconds <= 0) return 0;
  return static_cast<double>(bytes) / seconds / 1e9;
}

double AllReduceBusFactor(int ranks) {
  if (ranks < 1) return 0;
  return 2.0 * (ranks - 1) / ranks;
}

}  // namespace llm::gpu_check

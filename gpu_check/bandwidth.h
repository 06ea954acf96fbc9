// Bandwidth arithmetic shared by the copy tests and the NCCL test, with the
// nccl-tests definitions so numbers compare with what people already know.
#pragma once

#include <cstdint>

namespace llm::gpu_check {

/// Decimal GB/s (1e9 bytes), as nccl-tests and nvbandwidth report.
double GbPerSecond(std::uint64_t bytes, double seconds);

/// nccl-tests' all-reduce bus bandwidth factor 2(n-1)/n: what each rank's link
/// carries in a ring, so the number is comparable across rank counts. 0 for n < 1.
double AllReduceBusFactor(int ranks);

}  // namespace llm::gpu_check

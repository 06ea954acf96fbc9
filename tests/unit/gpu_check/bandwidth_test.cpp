#include "bandwidth.h"

#include <doctest/doctest.h>

namespace llm::gpu_check {

TEST_CASE("GbPerSecond uses decimal gigabytes") {
  CHECK(GbPerSecond(1'000'000'000, 1.0) == doctest::Approx(1.0));
  CHECK(GbPerSecond(1ULL << 30, 0.01) == doctest::Approx(107.3741824));
  CHECK(GbPerSecond(100, 0) == 0);
  CHECK(GbPerSecond(100, -1) == 0);
}

TEST_CASE("AllReduceBusFactor is nccl-tests' 2(n-1)/n") {
  CHECK(AllReduceBusFactor(1) == 0);
  CHECK(AllReduceBusFactor(2) == doctest::Approx(1.0));
  CHECK(AllReduceBusFactor(8) == doctest::Approx(1.75));
  CHECK(AllReduceBusFactor(16) == doctest::Approx(1.875));
  CHECK(AllReduceBusFactor(0) == 0);
}

}  // namespace llm::gpu_check

#include "profile.h"

#include <doctest/doctest.h>

#include <numeric>

namespace llm::gpu_check {

TEST_CASE("GetProfile: quick fits in the 60 s budget, full measures more") {
  auto quick = GetProfile("quick");
  auto full = GetProfile("full");
  REQUIRE(quick.ok());
  REQUIRE(full.ok());
  // The deadlines are upper bounds; their sum is what a wedged run could take.
  const double quick_worst = std::accumulate(quick->phase_deadline_s.begin(), quick->phase_deadline_s.end(), 0.0);
  CHECK(quick_worst <= 180);  // even a wedged quick run ends within 3 minutes
  CHECK(full->samples > quick->samples);
  CHECK(full->nccl_bytes.back() > quick->nccl_bytes.back());
  CHECK(quick->max_retries == 2);
  CHECK(quick->PhaseDeadline(CheckId::kNccl) > quick->nccl_init_deadline_s);
  // The health check's load window fits its deadline with room for NVML's reads.
  CHECK(quick->health_load_s > 0);
  CHECK(quick->PhaseDeadline(CheckId::kHealth) >= 5 * quick->health_load_s);
  CHECK(full->health_load_s > quick->health_load_s);
  CHECK(full->PhaseDeadline(CheckId::kHealth) >= 5 * full->health_load_s);
}

TEST_CASE("GetProfile rejects unknown names") {
  auto r = GetProfile("fast");
  REQUIRE_FALSE(r.ok());
  CHECK(r.failure().code() == ExitCode::kUsage);
  CHECK(r.failure().message() == "--profile: \"fast\" is not a profile; accepted: quick, full");
}

}  // namespace llm::gpu_check

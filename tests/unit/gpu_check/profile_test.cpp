#include "profile.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <string_view>
#include <utility>

namespace llm::gpu_check {

TEST_CASE("GetProfile: quick fits in the 60 s budget, full measures more") {
  auto quick = GetProfile("quick");
  auto full = GetProfile("full");
  REQUIRE(quick.ok());
  REQUIRE(full.ok());
  // The deadlines are upper bounds; their sum is what a wedged run could take.
  CHECK(quick->WorstCaseSeconds() <= 180);  // even a wedged quick run ends within 3 minutes
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

TEST_CASE("GetProfile: every check's phase deadline, by profile, from its catalog row") {
  auto quick = GetProfile("quick");
  auto full = GetProfile("full");
  REQUIRE(quick.ok());
  REQUIRE(full.ok());
  // The values the profiles had when they were written out by position.
  const std::map<std::string_view, std::pair<double, double>> quick_and_full = {
      {"inventory", {30, 60}}, {"hbm", {20, 60}},   {"pcie", {30, 120}},
      {"p2p", {40, 180}},      {"nccl", {45, 240}}, {"health", {15, 40}},
  };
  for (const auto& [key, seconds] : quick_and_full) {
    CAPTURE(key);
    const auto row = std::find_if(AllChecks().begin(), AllChecks().end(),
                                  [wanted = key](const CheckSpec& s) { return s.key == wanted; });
    REQUIRE(row != AllChecks().end());
    CHECK(quick->PhaseDeadline(row->id) == seconds.first);
    CHECK(full->PhaseDeadline(row->id) == seconds.second);
  }
  // A deadline for every row and nothing else, so a run's overall budget counts each check once.
  CHECK(quick->phase_deadline_s.size() == AllChecks().size());
  CHECK(full->phase_deadline_s.size() == AllChecks().size());
}

TEST_CASE("GetProfile rejects unknown names") {
  auto r = GetProfile("fast");
  REQUIRE_FALSE(r.ok());
  CHECK(r.failure().code() == ExitCode::kUsage);
  CHECK(r.failure().message() == "--profile: \"fast\" is not a profile; accepted: quick, full");
}

}  // namespace llm::gpu_check

#include "check_catalog.h"

#include <doctest/doctest.h>

#include <algorithm>

namespace llm::gpu_check {

TEST_CASE("ParseTestSelection returns run order without duplicates") {
  struct Case {
    const char* text;
    std::vector<CheckId> want;
  };
  const Case cases[] = {
      {"all", {CheckId::kInventory, CheckId::kHbm, CheckId::kPcie, CheckId::kP2p, CheckId::kNccl, CheckId::kHealth}},
      {"health,inventory", {CheckId::kInventory, CheckId::kHealth}},
      {"nccl,hbm", {CheckId::kHbm, CheckId::kNccl}},
      {"p2p, p2p ,inventory", {CheckId::kInventory, CheckId::kP2p}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    auto r = ParseTestSelection(c.text);
    REQUIRE(r.ok());
    CHECK(*r == c.want);
  }
}

TEST_CASE("ParseTestSelection names the bad key and the accepted ones") {
  auto r = ParseTestSelection("hbm,nvlink");
  REQUIRE_FALSE(r.ok());
  CHECK(r.failure().code() == ExitCode::kUsage);
  CHECK(r.failure().message() ==
        "--tests: unknown test \"nvlink\"; accepted: all or a comma-separated list of inventory, hbm, pcie, p2p, nccl, "
        "health");
  CHECK_FALSE(ParseTestSelection("hbm,").ok());
  CHECK_FALSE(ParseTestSelection("").ok());
}

TEST_CASE("SkipReason: one GPU skips p2p and single-node nccl, never passes them") {
  const Topology one{1, 1, false};
  CHECK_FALSE(SkipReason(GetCheckSpec(CheckId::kHbm), one).has_value());
  CHECK_FALSE(SkipReason(GetCheckSpec(CheckId::kPcie), one).has_value());
  CHECK(SkipReason(GetCheckSpec(CheckId::kP2p), one) == "needs at least 2 GPUs on the node, found 1");
  CHECK(SkipReason(GetCheckSpec(CheckId::kNccl), one) == "needs at least 2 GPUs on the node, found 1");
  CHECK_FALSE(SkipReason(GetCheckSpec(CheckId::kHealth), one).has_value());
}

TEST_CASE("the health check runs last, so its readings span every other test") {
  CHECK(AllChecks().back().id == CheckId::kHealth);
}

TEST_CASE("SkipReason: multi-node nccl runs with one GPU per node") {
  CHECK_FALSE(SkipReason(GetCheckSpec(CheckId::kNccl), Topology{1, 2, false}).has_value());
}

TEST_CASE("SkipReason: p2p needs a pair with peer access") {
  CHECK(SkipReason(GetCheckSpec(CheckId::kP2p), Topology{8, 1, false}) == "no GPU pair supports peer access");
  CHECK_FALSE(SkipReason(GetCheckSpec(CheckId::kP2p), Topology{8, 1, true}).has_value());
  CHECK(SkipReason(GetCheckSpec(CheckId::kHbm), Topology{0, 1, false}) == "no GPU is visible");
}

TEST_CASE("FormatCheckList lists every test once") {
  const std::string list = FormatCheckList();
  for (const CheckSpec& s : AllChecks()) CHECK(list.find(std::string(s.key) + " ") != std::string::npos);
  CHECK(std::count(list.begin(), list.end(), '\n') == static_cast<long>(AllChecks().size()));
}

}  // namespace llm::gpu_check

namespace llm::gpu_check {

TEST_CASE("GpuCountMismatch: --expect-gpus, 0 meaning any count") {
  CHECK(GpuCountMismatch(1, 2) == "found 1 GPUs, expected 2");
  CHECK_FALSE(GpuCountMismatch(8, 8).has_value());
  CHECK_FALSE(GpuCountMismatch(3, 0).has_value());
}

}  // namespace llm::gpu_check

#include "check_catalog.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace llm::gpu_check {

TEST_CASE("ParseTestSelection returns run order without duplicates") {
  struct Case {
    const char* text;
    std::vector<CheckId> want;
  };
  std::vector<CheckId> every;
  for (const CheckSpec& spec : AllChecks()) every.push_back(spec.id);
  const Case cases[] = {
      {"all", every},
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
  std::string keys;
  for (const CheckSpec& spec : AllChecks()) keys += (keys.empty() ? "" : ", ") + std::string(spec.key);
  CHECK(r.failure().message() ==
        "--tests: unknown test \"nvlink\"; accepted: all or a comma-separated list of " + keys);
  CHECK(keys.starts_with("inventory, hbm, pcie, p2p, nccl, "));
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

TEST_CASE("the catalog names each check once, by id and by key") {
  std::set<CheckId> ids;
  std::set<std::string_view> keys;
  for (const CheckSpec& s : AllChecks()) {
    CAPTURE(s.key);
    CHECK(ids.insert(s.id).second);
    CHECK(keys.insert(s.key).second);
    CHECK(&GetCheckSpec(s.id) == &s);
    CHECK(s.deadline.quick_s > 0);
    CHECK(s.deadline.full_s >= s.deadline.quick_s);
  }
}

TEST_CASE("VerifyCheckRegistrations: every row registered exactly once, nothing registered without a row") {
  std::vector<CheckId> registered;
  for (const CheckSpec& s : AllChecks()) registered.push_back(s.id);
  CHECK(VerifyCheckRegistrations(registered).ok());

  std::vector<CheckId> missing = registered;
  std::erase(missing, CheckId::kP2p);
  auto r = VerifyCheckRegistrations(missing);
  REQUIRE_FALSE(r.ok());
  CHECK(r.failure().code() == ExitCode::kRuntimeError);
  CHECK(r.failure().message() ==
        "check \"p2p\" has a catalog row but no class registers it (a RegisterCheck in its file under "
        "gpu_check/cuda/checks/)");

  std::vector<CheckId> twice = registered;
  twice.push_back(CheckId::kHbm);
  r = VerifyCheckRegistrations(twice);
  REQUIRE_FALSE(r.ok());
  CHECK(r.failure().message() == "check \"hbm\" is registered 2 times");

  std::vector<CheckId> unknown = registered;
  unknown.push_back(static_cast<CheckId>(99));
  r = VerifyCheckRegistrations(unknown);
  REQUIRE_FALSE(r.ok());
  CHECK(r.failure().message() ==
        "a class is registered as CheckId 99, which has no row in gpu_check/check_catalog.cpp");
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

#include "environment_lint.h"

#include <doctest/doctest.h>

namespace llm::gpu_check {

TEST_CASE("LintEnvironment: a well-configured pod has no findings") {
  EnvironmentFacts f;
  f.dev_shm_bytes = 8ULL << 30;
  CHECK(LintEnvironment(f, 8, 1).empty());
}

TEST_CASE("LintEnvironment: /dev/shm") {
  EnvironmentFacts f;
  f.dev_shm_bytes = 64ULL << 20;  // Docker's default
  auto multi = LintEnvironment(f, 8, 1);
  REQUIRE(multi.size() == 1);
  CHECK(multi[0].key == "dev_shm");
  CHECK(multi[0].blocking);
  CHECK(multi[0].message == "/dev/shm is 64 MiB, NCCL needs at least 256 MiB; mount an emptyDir with medium: Memory");
  auto single = LintEnvironment(f, 1, 1);
  REQUIRE(single.size() == 1);
  CHECK_FALSE(single[0].blocking);
  f.dev_shm_bytes = 512ULL << 20;
  auto small = LintEnvironment(f, 8, 1);
  REQUIRE(small.size() == 1);
  CHECK_FALSE(small[0].blocking);
  f.dev_shm_bytes.reset();
  CHECK(LintEnvironment(f, 8, 1)[0].blocking);
}

TEST_CASE("LintEnvironment: memlock and NCCL variables warn") {
  EnvironmentFacts f;
  f.dev_shm_bytes = 2ULL << 30;
  f.memlock_bytes = 65536;
  f.nccl_env = {{"NCCL_P2P_DISABLE", "1"}, {"NCCL_IB_DISABLE", "1"}, {"NCCL_ALGO", "Tree"}, {"NCCL_COMM_ID", "h:1"}};
  auto single = LintEnvironment(f, 8, 1);
  std::vector<std::string> keys;
  for (const auto& x : single) {
    CHECK_FALSE(x.blocking);
    keys.push_back(x.message);
  }
  REQUIRE(single.size() == 4);
  CHECK(single[0].key == "memlock");
  CHECK(single[1].message == "NCCL_P2P_DISABLE=1 is set; NVLink/shared-memory paths are not measured");
  CHECK(single[2].message == "NCCL_ALGO=Tree forces the all-reduce algorithm");
  CHECK(single[3].message == "NCCL_COMM_ID is set on a single-node run; NCCL still bootstraps through that address");
  auto multi = LintEnvironment(f, 8, 2);
  REQUIRE(multi.size() == 4);
  CHECK(multi[2].message == "NCCL_IB_DISABLE=1 is set; the multi-node test measures TCP sockets, not InfiniBand");
}

TEST_CASE("ProbeEnvironment reads this machine without failing") {
  const EnvironmentFacts f = ProbeEnvironment();
  if (f.dev_shm_bytes) CHECK(*f.dev_shm_bytes > 0);
  for (const auto& [name, value] : f.nccl_env) CHECK(name.rfind("NCCL_", 0) == 0);
}

}  // namespace llm::gpu_check

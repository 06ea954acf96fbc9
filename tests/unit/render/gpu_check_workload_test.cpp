// BuildGpuCheckConfig: every check and default of `gpu-check`, without the CLI.
#include <doctest/doctest.h>

#include "render/gpu_check_config.h"
#include "unit/render/build_config_helpers.h"
#include "util/build_info.h"

namespace llm {
namespace {

using testing::CheckUsageError;
using testing::Flags;
using testing::FlagValues;

Result<GpuCheckConfig> Build(const Flags& flags, std::string name = "chk") {
  const Values values = FlagValues(GpuCheckValueSpecs(), flags);
  return BuildGpuCheckConfig(WorkloadRequest{name, std::nullopt, values, std::nullopt, std::nullopt, {}, {}});
}

std::vector<std::string> TolerationKeys(const GpuCheckConfig& config) {
  std::vector<std::string> keys;
  for (const Toleration& t : config.scheduling.tolerations) keys.push_back(t.key);
  return keys;
}

TEST_CASE("BuildGpuCheckConfig: defaults, the deadline by profile") {
  const Result<GpuCheckConfig> quick = Build({});
  REQUIRE(quick.ok());
  CHECK(quick->meta.app == "llm-gpu-check");
  CHECK(quick->meta.component == "gpu-check");
  CHECK_FALSE(quick->multi_node());
  CHECK_FALSE(quick->node.has_value());
  CHECK(quick->gpus == 8);
  CHECK(quick->profile == "quick");
  CHECK(quick->active_deadline == 600);
  CHECK(quick->image == "ghcr.io/kubectl-llm/llm-gpu-check:" + std::string(GetBuildInfo().version));
  CHECK(quick->cpu == "4");
  CHECK(quick->memory == "16Gi");
  CHECK(quick->shm_size == "8Gi");
  CHECK(TolerationKeys(*quick) == std::vector<std::string>{"nvidia.com/gpu"});

  const Result<GpuCheckConfig> full = Build({{"--profile", {"full"}}});
  REQUIRE(full.ok());
  CHECK(full->active_deadline == 1800);
  const Result<GpuCheckConfig> given = Build({{"--profile", {"full"}}, {"--active-deadline", {"30"}}});
  REQUIRE(given.ok());
  CHECK(given->active_deadline == 30);
}

TEST_CASE("BuildGpuCheckConfig: the multi-node test tolerates every NoSchedule taint before the others") {
  const Result<GpuCheckConfig> single = Build({{"--node", {"gpu-node-0"}}, {"--toleration", {"x"}}});
  REQUIRE(single.ok());
  CHECK(single->node == "gpu-node-0");
  CHECK(TolerationKeys(*single) == std::vector<std::string>{"nvidia.com/gpu", "x"});
  CHECK(single->rank0_host.empty());

  const Result<GpuCheckConfig> multi = Build({{"--nccl-node", {"a", "b"}}, {"--toleration", {"x"}}});
  REQUIRE(multi.ok());
  CHECK(multi->multi_node());
  CHECK(multi->nccl_nodes == std::vector<std::string>{"a", "b"});
  CHECK(multi->rank0_host == "chk-0.chk");
  CHECK(TolerationKeys(*multi) == std::vector<std::string>{"", "nvidia.com/gpu", "x"});
  const Toleration& any = multi->scheduling.tolerations[0];
  CHECK_FALSE(any.value.has_value());
  CHECK(any.effect == "NoSchedule");
}

TEST_CASE("BuildGpuCheckConfig refuses bad values, naming the flag and what it accepts") {
  struct Case {
    Flags flags;
    std::string want;  ///< the whole message
  };
  const std::string object_name =
      "is not a valid object name (lower-case letters, digits, '-' and '.', starting and ending with a letter or "
      "digit, at most 253 characters)";
  const std::string quantity =
      "is not a Kubernetes quantity; use a non-negative number with an optional suffix (Ki Mi Gi Ti Pi Ei, m k M G "
      "T P E, or e<exponent>), e.g. 500m, 16Gi";
  const std::vector<Case> cases = {
      {{{"--gpus", {"65"}}}, "--gpus: must be an integer from 1 to 64, got '65'"},
      {{{"--profile", {"slow"}}}, "--profile: must be quick or full, got 'slow'"},
      {{{"--active-deadline", {"29"}}}, "--active-deadline: must be an integer from 30 to 86400, got '29'"},
      {{{"--active-deadline", {"86401"}}}, "--active-deadline: must be an integer from 30 to 86400, got '86401'"},
      {{{"--node", {"Bad_N"}}}, "--node: 'Bad_N' " + object_name},
      {{{"--image", {"a b"}}}, "--image: 'a b' is not an image reference ([registry/]repository[:tag][@digest])"},
      {{{"--shm-size", {"0"}}}, "--shm-size: must be greater than zero, got '0'"},
      {{{"--cpu", {"x"}}}, "--cpu: 'x' " + quantity},
      {{{"--memory", {"-1"}}}, "--memory: '-1' " + quantity},
      {{{"--priority-class", {"P"}}}, "--priority-class: 'P' " + object_name},
      {{{"--toleration", {"a:Nope"}}},
       "--toleration: 'a:Nope': the effect must be NoSchedule, PreferNoSchedule or NoExecute (syntax "
       "key[=value][:effect])"},
      {{{"--image-pull-secret", {"S_"}}}, "--image-pull-secret: 'S_' " + object_name},
      {{{"--nccl-node", {"a"}}}, "--nccl-node: a multi-node test needs at least two nodes, got one"},
      {{{"--nccl-node", {"a", "a"}}}, "--nccl-node: node \"a\" is given twice; one pod runs on each node"},
      {{{"--nccl-node", {"a", "b"}}, {"--node", {"c"}}},
       "--node and --nccl-node cannot be combined: a multi-node test places its pods itself"},
  };
  for (const Case& c : cases) CheckUsageError(Build(c.flags), c.want);
}

TEST_CASE("BuildGpuCheckConfig bounds NAME by the pods' hostnames, and gpu-check is always pods") {
  CHECK(Build({}, std::string(63, 'p')).ok());
  CHECK(Build({{"--nccl-node", {"a", "b"}}}, std::string(61, 'p')).ok());
  CheckUsageError(Build({{"--nccl-node", {"a", "b"}}}, std::string(62, 'p')),
                  "NAME '" + std::string(62, 'p') +
                      "' has 62 characters; the pods' hostnames are NAME-INDEX (2 characters), so NAME may have at "
                      "most 61");

  const Values values = FlagValues(GpuCheckValueSpecs(), {});
  CheckUsageError(
      BuildGpuCheckConfig(WorkloadRequest{"chk", std::nullopt, values, std::nullopt, Backend::kJobSet, {}, {}}),
      "--backend: gpu-check renders a pod");
}

}  // namespace
}  // namespace llm

// BuildTrainConfig: every check and default of `train`, without the CLI; and
// TrainView's torchrun variables, which --env must not be able to override.
#include <algorithm>

#include <doctest/doctest.h>

#include "render/train_config.h"
#include "unit/render/build_config_helpers.h"

namespace llm {
namespace {

using testing::CheckUsageError;
using testing::Flags;
using testing::FlagValues;

/// A cluster that serves no JobSet: train falls back to an Indexed Job.
const ServedKinds kCoreOnly = std::set<std::string, std::less<>>{};

/// Train `name` with an image unless `flags` give one; `served` nullopt: no cluster, every kind served.
Result<TrainConfig> Build(Flags flags, std::vector<std::string> trailing = {"torchrun", "t.py"},
                          ServedKinds served = std::nullopt, std::string name = "job") {
  const bool has_image = std::any_of(flags.begin(), flags.end(), [](const auto& f) { return f.first == "--image"; });
  if (!has_image) flags.insert(flags.begin(), {"--image", {"img:1"}});
  const Values values = FlagValues(TrainValueSpecs(), flags);
  return BuildTrainConfig(WorkloadRequest{name, std::nullopt, values, std::move(served), std::nullopt, trailing, {}});
}

std::vector<std::string> EnvNames(const RenderPlan& plan) {
  std::vector<std::string> names;
  for (const ViewData& item : plan.view.get("env")->list_value()) names.push_back(item.get("name")->string_value());
  return names;
}

TEST_CASE("BuildTrainConfig: defaults, and the rendezvous host follows the backend's pod names") {
  const Result<TrainConfig> jobset = Build({});
  REQUIRE(jobset.ok());
  CHECK(jobset->backend == Backend::kJobSet);
  CHECK(jobset->meta.name == "job");
  CHECK(jobset->meta.app == "torchrun");
  CHECK(jobset->meta.component == "train");
  CHECK(jobset->nodes == 1);
  CHECK(jobset->gpus_per_node == 1);
  CHECK(jobset->master_port == 29500);
  CHECK(jobset->max_restarts == 0);
  CHECK_FALSE(jobset->ttl_after_finished.has_value());
  CHECK_FALSE(jobset->active_deadline.has_value());
  CHECK(jobset->master_addr == "job-node-0-0.job");
  CHECK(jobset->image == "img:1");
  CHECK(jobset->command == std::vector<std::string>{"torchrun", "t.py"});
  CHECK_FALSE(jobset->cpu.has_value());
  CHECK_FALSE(jobset->memory.has_value());
  CHECK(jobset->shm_size == "16Gi");
  REQUIRE(jobset->scheduling.tolerations.size() == 1);
  CHECK(jobset->scheduling.tolerations[0].key == "nvidia.com/gpu");
  CHECK(jobset->scheduling.tolerations[0].effect == "NoSchedule");

  const Result<TrainConfig> indexed = Build({{"--nodes", {"3"}}}, {"torchrun", "t.py"}, kCoreOnly);
  REQUIRE(indexed.ok());
  CHECK(indexed->backend == Backend::kIndexedJob);
  CHECK(indexed->master_addr == "job-0.job");
}

TEST_CASE("BuildTrainConfig: the command after '--' wins over the values' command") {
  CheckUsageError(Build({}, {}), "train needs the command to run after '--' (e.g. -- torchrun train.py)");
  Values values = FlagValues(TrainValueSpecs(), {{"--image", {"img:1"}}});
  REQUIRE(values.ApplySet("command[0]=python").ok());
  REQUIRE(values.ApplySet("command[1]=x.py").ok());
  const auto request = [&](std::vector<std::string> trailing) {
    return WorkloadRequest{"job", std::nullopt, values, std::nullopt, std::nullopt, std::move(trailing), {}};
  };
  CHECK(BuildTrainConfig(request({}))->command == std::vector<std::string>{"python", "x.py"});
  CHECK(BuildTrainConfig(request({"torchrun", "t.py"}))->command == std::vector<std::string>{"torchrun", "t.py"});
}

TEST_CASE("BuildTrainConfig refuses bad values, naming the flag and what it accepts") {
  struct Case {
    Flags flags;
    std::string want;  ///< the whole message
  };
  const std::vector<Case> cases = {
      {{{"--nodes", {"10001"}}}, "--nodes: must be an integer from 1 to 10000, got '10001'"},
      {{{"--gpus-per-node", {"65"}}}, "--gpus-per-node: must be an integer from 1 to 64, got '65'"},
      {{{"--master-port", {"0"}}}, "--master-port: must be an integer from 1 to 65535, got '0'"},
      {{{"--max-restarts", {"1001"}}}, "--max-restarts: must be an integer from 0 to 1000, got '1001'"},
      {{{"--ttl-after-finished", {"-1"}}}, "--ttl-after-finished: must be an integer from 0 to 100000000, got '-1'"},
      {{{"--active-deadline", {"0"}}}, "--active-deadline: must be an integer from 1 to 100000000, got '0'"},
      {{{"--image", {"a b"}}}, "--image: 'a b' is not an image reference ([registry/]repository[:tag][@digest])"},
      {{{"--queue", {""}}}, "--queue: must not be empty"},
      {{{"--queue", {"bad queue"}}},
       "--queue: the value 'bad queue' must be empty or at most 63 characters [A-Za-z0-9_.-], starting and ending "
       "with a letter or digit"},
      {{{"--priority-class", {"Bad"}}},
       "--priority-class: 'Bad' is not a valid object name (lower-case letters, digits, '-' and '.', starting and "
       "ending with a letter or digit, at most 253 characters)"},
      {{{"--env", {"1A=x"}}},
       "--env: '1A' is not a valid environment variable name (letters, digits, '_', '-', '.', not starting with a "
       "digit)"},
      {{{"--env", {"PET_NNODES=4"}}},
       "--env: PET_NNODES is set by kubectl llm for this workload; use its flag instead"},
      {{{"--cpu", {"0"}}}, "--cpu: must be greater than zero, got '0'"},
      {{{"--memory", {"lots"}}},
       "--memory: 'lots' is not a Kubernetes quantity; use a non-negative number with an optional suffix (Ki Mi Gi "
       "Ti Pi Ei, m k M G T P E, or e<exponent>), e.g. 500m, 16Gi"},
      {{{"--shm-size", {"0"}}}, "--shm-size: must be greater than zero, got '0'"},
      {{{"--gpu-product", {"bad product"}}},
       "--gpu-product: the value 'bad product' must be empty or at most 63 characters [A-Za-z0-9_.-], starting and "
       "ending with a letter or digit"},
      {{{"--node-selector", {"a b=c"}}},
       "--node-selector: the key 'a b' must be '[prefix/]name' where name has at most 63 characters [A-Za-z0-9_.-], "
       "starting and ending with a letter or digit"},
      {{{"--toleration", {"x:Bad"}}},
       "--toleration: 'x:Bad': the effect must be NoSchedule, PreferNoSchedule or NoExecute (syntax "
       "key[=value][:effect])"},
      {{{"--image-pull-secret", {"Reg"}}},
       "--image-pull-secret: 'Reg' is not a valid object name (lower-case letters, digits, '-' and '.', starting and "
       "ending with a letter or digit, at most 253 characters)"},
  };
  for (const Case& c : cases) CheckUsageError(Build(c.flags), c.want);
}

TEST_CASE("BuildTrainConfig bounds NAME by the longest pod hostname the backend derives") {
  // An Indexed Job's pods are NAME-<index>: 11 nodes take two digits.
  const std::string sixty(60, 'a');
  CHECK(Build({{"--nodes", {"10"}}}, {"x"}, kCoreOnly, sixty + "a").ok());
  CheckUsageError(Build({{"--nodes", {"11"}}}, {"x"}, kCoreOnly, sixty + "a"),
                  "NAME '" + sixty +
                      "a' has 61 characters; the Indexed Job appends '-<index>' (3 characters), so NAME may have at "
                      "most 60");
  // JobSet's are NAME-node-0-<index>.
  CHECK(Build({{"--nodes", {"2"}}}, {"x"}, std::nullopt, std::string(54, 'a')).ok());
  CHECK_FALSE(Build({{"--nodes", {"2"}}}, {"x"}, std::nullopt, std::string(55, 'a')).ok());
}

TEST_CASE("every variable TrainView sets for torchrun is refused in --env, and the user's come after them") {
  const Result<TrainConfig> config = Build({{"--env", {"A=1", "Z=2"}}});
  REQUIRE(config.ok());
  const std::vector<std::string> names = EnvNames(TrainView(*config));
  REQUIRE(names.size() > 2);
  CHECK(names[names.size() - 2] == "A");
  CHECK(names.back() == "Z");
  for (size_t i = 0; i + 2 < names.size(); ++i) {
    CAPTURE(names[i]);
    CheckUsageError(Build({{"--env", {names[i] + "=x"}}}),
                    "--env: " + names[i] + " is set by kubectl llm for this workload; use its flag instead");
  }
}

}  // namespace
}  // namespace llm

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
                          ServedKinds served = std::nullopt, std::string name = "job",
                          std::optional<int> start_nodes = std::nullopt) {
  const bool has_image = std::any_of(flags.begin(), flags.end(), [](const auto& f) { return f.first == "--image"; });
  if (!has_image) flags.insert(flags.begin(), {"--image", {"img:1"}});
  std::optional<Backend> backend;
  for (auto it = flags.begin(); it != flags.end();) {
    // --backend is the command's flag, not a value.
    if (it->first != "--backend") {
      ++it;
      continue;
    }
    backend = *ParseBackend(it->second.back());
    it = flags.erase(it);
  }
  const Values values = FlagValues(TrainValueSpecs(), flags);
  return BuildTrainConfig(
      WorkloadRequest{name, std::nullopt, values, std::move(served), backend, trailing, {}, start_nodes});
}

/// An elastic job's flags: --nodes MIN:MAX with the checkpoint volume it needs.
Flags Elastic(const std::string& range, Flags more = {}) {
  Flags flags = {{"--nodes", {range}}, {"--checkpoint", {"ckpt:/ckpt"}}};
  flags.insert(flags.end(), more.begin(), more.end());
  return flags;
}

std::string EnvValueOf(const RenderPlan& plan, const std::string& name) {
  for (const ViewData& item : plan.view.get("env")->list_value()) {
    if (item.get("name")->string_value() == name) return item.get("value")->string_value();
  }
  return "<unset>";
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
      {{{"--nodes", {"10001"}}},
       "--nodes: expected N (1 to 10000) or MIN:MAX (elastic, 1 <= MIN <= MAX <= 10000), got '10001'"},
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

TEST_CASE("BuildTrainConfig --nodes MIN:MAX: elastic, an Indexed Job starting at MAX, torchrun restarts 3 by default") {
  const Result<TrainConfig> c = Build(Elastic("2:4"));
  REQUIRE(c.ok());
  REQUIRE(c->elastic.has_value());
  CHECK(c->elastic->min == 2);
  CHECK(c->elastic->max == 4);
  CHECK(c->nodes == 4);
  CHECK(c->backend == Backend::kIndexedJob);  // even where JobSet is served
  CHECK(c->master_addr == "job-0.job");
  CHECK(c->max_restarts == 3);
  CHECK(c->rdzv_timeout == 900);
  CHECK(c->rdzv_last_call_timeout == 120);

  // train chooses the start (what fits, or the live size); it stays within the bounds.
  CHECK(Build(Elastic("2:4"), {"x"}, std::nullopt, "job", 3)->nodes == 3);
  CHECK(Build(Elastic("2:4"), {"x"}, std::nullopt, "job", 1)->nodes == 2);
  CHECK(Build(Elastic("2:4"), {"x"}, std::nullopt, "job", 9)->nodes == 4);
  // A fixed --nodes ignores it.
  CHECK(Build({{"--nodes", {"3"}}}, {"x"}, std::nullopt, "job", 1)->nodes == 3);

  const Result<TrainConfig> tuned = Build(Elastic("1:8", {{"--max-restarts", {"10"}},
                                                          {"--rdzv-timeout", {"30m"}},
                                                          {"--rdzv-last-call-timeout", {"5m"}},
                                                          {"--backend", {"jobset"}}}));
  REQUIRE(tuned.ok());
  CHECK(tuned->backend == Backend::kJobSet);
  CHECK(tuned->master_addr == "job-node-0-0.job");
  CHECK(tuned->max_restarts == 10);
  CHECK(tuned->rdzv_timeout == 1800);
  CHECK(tuned->rdzv_last_call_timeout == 300);
}

TEST_CASE("BuildTrainConfig refuses bad elastic input, naming the flag and what it accepts") {
  const std::string accepted = "expected N (1 to 10000) or MIN:MAX (elastic, 1 <= MIN <= MAX <= 10000)";
  CheckUsageError(Build(Elastic("4:2")), "--nodes: " + accepted + ", got '4:2'");
  CheckUsageError(Build(Elastic("0:2")), "--nodes: " + accepted + ", got '0:2'");
  CheckUsageError(Build(Elastic("0")), "--nodes: " + accepted + ", got '0'");
  CheckUsageError(Build(Elastic("two:four")), "--nodes: " + accepted + ", got 'two:four'");
  CheckUsageError(Build(Elastic("2:4:8")), "--nodes: " + accepted + ", got '2:4:8'");
  CheckUsageError(Build(Elastic("1:10001")), "--nodes: " + accepted + ", got '1:10001'");
  CheckUsageError(Build({{"--nodes", {"many"}}}), "--nodes: " + accepted + ", got 'many'");
  CheckUsageError(Build({{"--nodes", {"2:4"}}}),
                  "--nodes 2:4 is elastic training: it needs --checkpoint PVC:MOUNT, a volume every node mounts "
                  "(ReadWriteMany), because each change of membership restarts all workers from the last checkpoint");
  CheckUsageError(Build({{"--rdzv-timeout", {"10m"}}}),
                  "--rdzv-timeout is only used with --nodes MIN:MAX (elastic training)");
  CheckUsageError(Build({{"--nodes", {"2"}}, {"--rdzv-last-call-timeout", {"1m"}}}),
                  "--rdzv-last-call-timeout is only used with --nodes MIN:MAX (elastic training)");
  CheckUsageError(Build(Elastic("2:4", {{"--rdzv-timeout", {"0"}}})),
                  "--rdzv-timeout: must be from 1s to 24h, got '0'");
  CheckUsageError(Build(Elastic("2:4", {{"--rdzv-last-call-timeout", {"2d"}}})),
                  "--rdzv-last-call-timeout: must be from 1s to 24h, got '2d'");
  CheckUsageError(Build(Elastic("2:4", {{"--queue", {"team-a"}}, {"--backend", {"jobset"}}})),
                  "--queue with --nodes 2:4 needs --backend indexed-job: Kueue resizes only batch Jobs (elastic jobs "
                  "through workload slices)");
  // NAME is bounded by MAX's highest index: 11 nodes take two digits.
  const std::string sixty(60, 'a');
  CHECK(Build(Elastic("2:10"), {"x"}, std::nullopt, sixty + "a").ok());
  CHECK_FALSE(Build(Elastic("2:11"), {"x"}, std::nullopt, sixty + "a").ok());
}

TEST_CASE("TrainView elastic: torchrun's c10d rendezvous on index 0 as PET_* variables, bounds on the Job") {
  const Result<TrainConfig> c = Build(Elastic("2:4", {{"--gpus-per-node", {"8"}}, {"--queue", {"team-a"}}}));
  REQUIRE(c.ok());
  const RenderPlan plan = TrainView(*c);
  CHECK(EnvNames(plan) == std::vector<std::string>{"PET_NNODES", "PET_NPROC_PER_NODE", "PET_RDZV_BACKEND",
                                                   "PET_RDZV_ENDPOINT", "PET_RDZV_ID", "PET_RDZV_CONF",
                                                   "PET_MAX_RESTARTS"});
  CHECK(EnvValueOf(plan, "PET_NNODES") == "2:4");
  CHECK(EnvValueOf(plan, "PET_RDZV_BACKEND") == "c10d");
  CHECK(EnvValueOf(plan, "PET_RDZV_ENDPOINT") == "job-0.job:29500");
  CHECK(EnvValueOf(plan, "PET_RDZV_ID") == "job");
  CHECK(EnvValueOf(plan, "PET_RDZV_CONF") == "timeout=900,last_call_timeout=120");
  CHECK(EnvValueOf(plan, "PET_MAX_RESTARTS") == "3");
  CHECK(plan.templates == std::vector<std::string>{"train/headless-service.yaml", "train/job.yaml"});
  std::vector<std::string> annotations;
  for (const ViewData& item : plan.view.get("annotations")->list_value()) {
    annotations.push_back(item.get("key")->string_value() + "=" + item.get("value")->string_value());
  }
  CHECK(annotations ==
        std::vector<std::string>{"kubectl-llm.dev/elastic-nodes=2:4", "kueue.x-k8s.io/elastic-job=true"});
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
  // The elastic mode's too, in either mode.
  const Result<TrainConfig> elastic = Build(Elastic("2:4", {{"--env", {"A=1", "Z=2"}}}));
  REQUIRE(elastic.ok());
  const std::vector<std::string> elastic_names = EnvNames(TrainView(*elastic));
  CHECK(elastic_names.back() == "Z");
  for (size_t i = 0; i + 2 < elastic_names.size(); ++i) {
    CAPTURE(elastic_names[i]);
    CheckUsageError(Build({{"--env", {elastic_names[i] + "=x"}}}),
                    "--env: " + elastic_names[i] + " is set by kubectl llm for this workload; use its flag instead");
  }
}

}  // namespace
}  // namespace llm

#include "node_validation/validate_plan.h"

#include <doctest/doctest.h>

namespace llm {

TEST_CASE("validate_plan: flags flow into selection, run, pod and record settings") {
  ValidateNodesOptions o;
  o.selector = "pool=gpu";
  o.include_busy = true;
  o.profile = "full";
  o.image = "registry.local/llm-gpu-check:1";
  o.timeout = "20m";
  o.max_parallel = 8;
  o.keep = true;
  o.record = true;
  o.taint_failed = true;
  o.validity = "2d";
  auto c = ValidateNodesFlags(o);
  REQUIRE(c.ok());

  const NodeSelectionRequest sel = SelectionRequestFor(*c);
  CHECK(sel.include_busy);
  CHECK(sel.selector.String() == "pool=gpu");

  const ValidationRunConfig run = RunConfigFor(*c, "k3x9q");
  CHECK(run.max_parallel == 8);
  CHECK(run.timeout == Seconds(1200));
  CHECK(run.keep);
  CHECK(run.run_id == "k3x9q");

  const GpuCheckPodRequest pod = PodRequestFor(*c, {"gpu-a", "NVIDIA-H100-80GB-HBM3", 8}, "gpu-check-k3x9q-gpu-a");
  CHECK(pod.node == "gpu-a");
  CHECK(pod.gpus == 8);
  CHECK(pod.profile == "full");
  CHECK(pod.image == "registry.local/llm-gpu-check:1");
  CHECK(pod.active_deadline_seconds == 1260);
  CHECK(pod.tolerations == std::vector<std::string>{"kubectl-llm.dev/gpu-check=failed:NoSchedule"});

  const PairRunConfig pairs = PairRunConfigFor(*c, "k3x9q");
  CHECK(pairs.max_parallel == 8);
  CHECK(pairs.timeout == Seconds(1200));
  CHECK(pairs.run_id == "k3x9q");
  const GpuCheckPairRequest pair = PairRequestFor(*c, {"gpu-a", "NVIDIA-H100-80GB-HBM3", 8},
                                                  {"gpu-b", "NVIDIA-H100-80GB-HBM3", 4}, "gpu-check-k3x9q-pair-1");
  CHECK(pair.name == "gpu-check-k3x9q-pair-1");
  CHECK(pair.nodes == std::vector<std::string>{"gpu-a", "gpu-b"});
  CHECK(pair.gpus == 4);  // both ranks drive as many GPUs
  CHECK(pair.active_deadline_seconds == 1260);
  CHECK(pair.tolerations == pod.tolerations);

  const RecordSettings rec = RecordSettingsFor(*c, "0.1.0", "registry.local/llm-gpu-check:1");
  CHECK(rec.record);
  CHECK(rec.taint_failed);
  CHECK(rec.validity == Seconds(2 * 86400));
  CHECK(rec.profile == "full");
}

}  // namespace llm

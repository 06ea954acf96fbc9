#include "render/workload.h"

#include <array>

namespace llm {

std::span<const WorkloadSpec> AllWorkloads() {
  static const std::array<WorkloadSpec, 3> kWorkloads = {{
      {"serve", "Render an inference server (vLLM, SGLang, TGI)", ServeValueSpecs(), &PlanServe, false},
      {"train", "Render a torchrun training job (JobSet or Indexed Job)", TrainValueSpecs(), &PlanTrain, true},
      {"gpu-check", "Render the per-node GPU self-test pod", GpuCheckValueSpecs(), &PlanGpuCheck, false},
  }};
  return kWorkloads;
}

const WorkloadSpec* FindWorkload(std::string_view name) {
  for (const WorkloadSpec& w : AllWorkloads()) {
    if (w.name == name) return &w;
  }
  return nullptr;
}

}  // namespace llm

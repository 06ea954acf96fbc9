#include "render/workload.h"

#include <array>

#include "render/gpu_check_config.h"
#include "render/serve_config.h"
#include "render/train_config.h"

namespace llm {

std::span<const WorkloadSpec> AllWorkloads() {
  static const std::array<WorkloadSpec, 3> kWorkloads = {{
      {"serve", "Render an inference server (vLLM, SGLang, TGI)", ServeValueSpecs(),
       &PlanFrom<BuildServeConfig, ServeView>, false},
      {"train", "Render a torchrun training job (JobSet or Indexed Job)", TrainValueSpecs(),
       &PlanFrom<BuildTrainConfig, TrainView>, true},
      {"gpu-check", "Render the per-node GPU self-test pod", GpuCheckValueSpecs(),
       &PlanFrom<BuildGpuCheckConfig, GpuCheckView>, false},
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

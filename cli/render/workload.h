// A workload (serve, train, gpu-check): its known values and how it turns
// them into a render plan (which templates, with which view model).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "render/backend.h"
#include "render/values.h"
#include "render/view_data.h"
#include "util/result.h"

namespace llm {

struct WorkloadRequest {
  std::string name;
  std::optional<std::string> namespace_;
  const Values& values;
  ServedKinds served;               ///< nullopt: no cluster, every kind assumed served
  std::optional<Backend> backend;   ///< --backend
  /// Extra words after `--` (train's command); empty for the others.
  std::vector<std::string> trailing;
};

struct RenderPlan {
  /// Template paths relative to the templates root, in output order.
  std::vector<std::string> templates;
  ViewData view;
};

using PlanFn = Result<RenderPlan> (*)(const WorkloadRequest& request);

struct WorkloadSpec {
  std::string_view name;  ///< "serve", "train", "gpu-check"
  std::string_view summary;
  std::span<const ValueSpec> values;
  PlanFn plan;
  bool takes_trailing_command;
};

/// The workloads render knows, in help order.
std::span<const WorkloadSpec> AllWorkloads();
const WorkloadSpec* FindWorkload(std::string_view name);

std::span<const ValueSpec> ServeValueSpecs();
Result<RenderPlan> PlanServe(const WorkloadRequest& request);
std::span<const ValueSpec> TrainValueSpecs();
Result<RenderPlan> PlanTrain(const WorkloadRequest& request);
std::span<const ValueSpec> GpuCheckValueSpecs();
Result<RenderPlan> PlanGpuCheck(const WorkloadRequest& request);

}  // namespace llm

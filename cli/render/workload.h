// A workload (serve, train, gpu-check): its known values and how it turns
// them into a render plan (which templates, with which view model).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "render/backend.h"
#include "render/sweep_trial.h"
#include "render/values.h"
#include "render/view_data.h"
#include "util/result.h"

namespace llm {

struct WorkloadRequest {
  std::string name;
  std::optional<std::string> namespace_;
  const Values& values;
  ServedKinds served;              ///< nullopt: no cluster, every kind assumed served
  std::optional<Backend> backend;  ///< --backend
  /// Extra words after `--` (train's command); empty for the others.
  std::vector<std::string> trailing;
  /// serve --monitor: labels the cluster's Prometheus selects PodMonitors by
  /// (the command reads them, commands/pod_monitor_placement.h); empty offline.
  std::vector<std::pair<std::string, std::string>> pod_monitor_labels;
  /// train --nodes MIN:MAX: the node count to start at, which train chooses
  /// (what fits now, or what the live job runs); nullopt starts at MAX.
  std::optional<int> start_nodes = std::nullopt;
  /// train as one trial of a sweep (`kubectl llm sweep`): `trailing` holds the
  /// trial's command with its parameters filled in.
  std::optional<SweepTrial> trial = std::nullopt;
};

struct RenderPlan {
  /// Template paths relative to the templates root, in output order.
  std::vector<std::string> templates;
  ViewData view;
  /// What the plan chose in the user's stead that they should hear about
  /// (serve --monitor without the Prometheus Operator: pod annotations instead).
  std::vector<std::string> notes;
};

using PlanFn = Result<RenderPlan> (*)(const WorkloadRequest& request);

/// Every workload plans in two steps: `Build` checks the values and applies
/// the defaults into a plain config, where all decisions are made; `View` lays
/// that config out for the templates and decides nothing (serve_config.h,
/// train_config.h, gpu_check_config.h).
template <auto Build, auto View>
Result<RenderPlan> PlanFrom(const WorkloadRequest& request) {
  auto config = Build(request);
  if (!config.ok()) return config.error();
  return View(*config);
}

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
std::span<const ValueSpec> TrainValueSpecs();
std::span<const ValueSpec> GpuCheckValueSpecs();

}  // namespace llm

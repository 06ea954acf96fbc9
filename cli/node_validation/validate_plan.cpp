#include "node_validation/validate_plan.h"

#include <algorithm>

#include <fmt/format.h>

namespace llm {

NodeSelectionRequest SelectionRequestFor(const ValidateNodesConfig& config) {
  NodeSelectionRequest r;
  r.names = config.nodes;
  r.selector = config.selector;
  r.include_busy = config.include_busy;
  return r;
}

ValidationRunConfig RunConfigFor(const ValidateNodesConfig& config, std::string run_id) {
  ValidationRunConfig r;
  r.max_parallel = config.max_parallel;
  r.timeout = config.timeout;
  r.unschedulable_grace = config.unschedulable_grace;
  r.keep = config.keep;
  r.run_id = std::move(run_id);
  return r;
}

GpuCheckPodRequest PodRequestFor(const ValidateNodesConfig& config, const NodeCandidate& node, std::string pod_name) {
  GpuCheckPodRequest r;
  r.name = std::move(pod_name);
  r.node = node.name;
  r.gpus = node.gpus;
  r.profile = config.profile;
  r.image = config.image;
  r.active_deadline_seconds = (config.timeout + kActiveDeadlineMargin).count();
  r.tolerations = {fmt::format("{}={}:{}", kGpuCheckTaintKey, kGpuCheckTaintValue, kGpuCheckTaintEffect)};
  return r;
}

PairRunConfig PairRunConfigFor(const ValidateNodesConfig& config, std::string run_id) {
  PairRunConfig r;
  r.max_parallel = config.max_parallel;
  r.timeout = config.timeout;
  r.unschedulable_grace = config.unschedulable_grace;
  r.run_id = std::move(run_id);
  return r;
}

GpuCheckPairRequest PairRequestFor(const ValidateNodesConfig& config, const NodeCandidate& first,
                                   const NodeCandidate& second, std::string job) {
  GpuCheckPairRequest r;
  r.name = std::move(job);
  r.nodes = {first.name, second.name};
  r.gpus = std::min(first.gpus, second.gpus);
  r.profile = config.profile;
  r.image = config.image;
  r.active_deadline_seconds = (config.timeout + kActiveDeadlineMargin).count();
  r.tolerations = {fmt::format("{}={}:{}", kGpuCheckTaintKey, kGpuCheckTaintValue, kGpuCheckTaintEffect)};
  return r;
}

RecordSettings RecordSettingsFor(const ValidateNodesConfig& config, std::string tool_version, std::string image) {
  RecordSettings r;
  r.record = config.record;
  r.taint_failed = config.taint_failed;
  r.validity = config.validity;
  r.tool_version = std::move(tool_version);
  r.image = std::move(image);
  r.profile = config.profile;
  return r;
}

}  // namespace llm

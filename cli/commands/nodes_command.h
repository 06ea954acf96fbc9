// `kubectl llm nodes`: every GPU node with its product, GPUs allocatable,
// used and free, GPU memory, taints and validation state
// (cli/workload/gpu_nodes.h); -o json|yaml prints GpuNodeList.
#pragma once

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include "commands/command.h"
#include "kube/rest_client.h"
#include "output/output_format.h"

namespace llm {

struct NodesOptions {
  std::string output{};    ///< "", wide, json, yaml
  std::string selector{};  ///< -l: a label selector on nodes
  bool no_headers = false;
};

Result<OutputSpec> ValidateNodesCommandOptions(const NodesOptions& options);

/// The pods that hold GPUs of `gpu_nodes`, reduced to what the GPU count reads
/// (node, container requests, overhead, phase): pods are read a page at a time
/// and the rest of each pod is dropped, so thousands of pods cost little memory.
Result<nlohmann::json> ListGpuPods(kube::RestClient& client, const std::vector<std::string>& gpu_nodes);

Status RunNodes(const NodesOptions& options, kube::RestClient& client, std::chrono::system_clock::time_point now,
                IoStreams streams);

void SetupNodesCommand(CLI::App* cmd, CommandContext& ctx);

}  // namespace llm

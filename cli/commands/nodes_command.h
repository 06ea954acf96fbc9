// `kubectl llm nodes`: every GPU node with its product, GPUs allocatable,
// used and free, GPU memory, taints and validation state
// (cli/workload/gpu_nodes.h); -o json|yaml prints GpuNodeList. Takes kubectl
// get's listing flags (commands/listing_flags.h): -l and --field-selector go
// to the server with the nodes' list, -w watches nodes and pods.
#pragma once

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include "commands/command.h"
#include "commands/listing_flags.h"
#include "commands/listing_watch.h"
#include "kube/rest_client.h"
#include "output/output_format.h"

namespace llm {

struct NodesOptions {
  std::string output{};    ///< "", wide, json, yaml
  ListingFlags listing{};  ///< -l, --field-selector, --sort-by, -L, --show-labels, --no-headers, -w
};

struct NodesPlan {
  OutputSpec output;
  ListingOptions listing;
};

Result<NodesPlan> ValidateNodesCommandOptions(const NodesOptions& options);

/// The pods that hold GPUs of `gpu_nodes`, reduced to what the GPU count reads
/// (node, container requests, overhead, phase): pods are read a page at a time
/// and the rest of each pod is dropped, so thousands of pods cost little memory.
Result<nlohmann::json> ListGpuPods(kube::RestClient& client, const std::vector<std::string>& gpu_nodes);

/// With -w, runs until Ctrl-C (`watch` must be set).
Status RunNodes(const NodesOptions& options, kube::RestClient& client, std::chrono::system_clock::time_point now,
                IoStreams streams, const ListingWatchEnv* watch = nullptr);

void SetupNodesCommand(CLI::App* cmd, CommandContext& ctx);

}  // namespace llm

// Which nodes validate-nodes tests and which it skips, and why: the pure step
// between listing nodes and pods and creating the first self-test pod.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kube/label_selector.h"
#include "util/result.h"

namespace llm {

struct NodeSelectionRequest {
  std::vector<std::string> names;  ///< NODE... (empty: use the selector)
  LabelSelector selector;          ///< ignored when names are given
  bool include_busy = false;
};

struct NodeCandidate {
  std::string name;
  std::string product;    ///< nvidia.com/gpu.product label, "" when absent
  long long gpus = 0;     ///< allocatable nvidia.com/gpu: the pod requests all of them
  std::string zone = {};  ///< topology.kubernetes.io/zone label, "" when absent
};

struct SkippedNode {
  std::string name;
  std::string product;
  std::string reason;
  std::string zone = {};
};

struct NodeSelection {
  std::vector<NodeCandidate> to_test;  ///< sorted by name
  std::vector<SkippedNode> skipped;    ///< sorted by name
};

/// Cuts a listed node down, in place, to what SelectNodes reads (name, labels,
/// spec.unschedulable, status.allocatable and status.conditions): a parsed
/// Node is tens of KiB, and a fleet has thousands (ListOptions::keep_item).
void KeepSelectionFields(nlohmann::json& node);

/// Whether SelectNodes counts `pod` against its node: bound, not terminal,
/// requesting nvidia.com/gpu (the scheduler's arithmetic). The other pods of
/// a listing need not be kept.
bool HoldsNodeGpus(const nlohmann::json& pod);

/// `nodes` and `pods` are NodeList / PodList objects (or arrays of items); pods
/// should be all pods of the cluster (a fieldSelector of
/// status.phase!=Succeeded,status.phase!=Failed is fine).
///
/// Rules: a named node that does not exist is an error (kNotFound, `nodes "x"
/// not found`, every missing name listed). Nodes without allocatable
/// nvidia.com/gpu are skipped with "no allocatable nvidia.com/gpu" when named,
/// and silently left out when chosen by selector (CPU nodes are not news).
/// A GPU node is skipped, with every reason that applies joined by "; ", when
/// it is cordoned ("cordoned (spec.unschedulable)"), not Ready ("not ready
/// (Ready=False: <message>)"), or, unless include_busy, its GPUs are in use by
/// non-terminal pods ("GPUs in use by N pod(s): ns/a, ns/b, ns/c and 2 more").
/// Linear in nodes + pods.
Result<NodeSelection> SelectNodes(const NodeSelectionRequest& request, const nlohmann::json& nodes,
                                  const nlohmann::json& pods);

}  // namespace llm

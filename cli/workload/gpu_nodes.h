// The rows of `kubectl llm nodes`: every GPU node with its product, GPUs
// allocatable/used/free, GPU memory, taints and validation state (the labels
// and annotation `kubectl llm validate-nodes` writes).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "output/table_printer.h"
#include "workload/gpu_check_record.h"  // the label and annotation read here

namespace llm {

struct GpuNodeRow {
  std::string name;
  std::string product;              ///< nvidia.com/gpu.product ("" when unlabelled)
  int64_t allocatable = 0;          ///< status.allocatable nvidia.com/gpu
  int64_t used = 0;                 ///< requested by non-terminal pods bound to the node
  int64_t free = 0;                 ///< allocatable - used, never below 0
  int64_t memory_mib = 0;           ///< nvidia.com/gpu.memory: MiB per GPU, 0 when unlabelled
  std::string memory;               ///< the same as "80GiB"; "" when unlabelled
  std::vector<std::string> taints;  ///< "key=value:Effect"
  bool cordoned = false;
  /// pass, fail, error (the label), "expired" when the summary's validUntil
  /// has passed, "unvalidated" without the label.
  std::string validation;
  std::string valid_until;  ///< from the summary annotation ("" when absent or unreadable)
  /// The last verdict's reason from the summary annotation ("" on a pass or
  /// when absent): why a node failed, health findings included.
  std::string validation_reason;
};

/// Nodes with nvidia.com/gpu in capacity or allocatable, or with a GPU product
/// label (a GPU node whose device plugin is down shows 0 GPUs rather than
/// vanishing), sorted by name.
std::vector<GpuNodeRow> ListGpuNodes(const nlohmann::json& nodes, const nlohmann::json& pods,
                                     std::chrono::system_clock::time_point now);

/// NAME PRODUCT GPUS USED FREE MEMORY VALIDATION TAINTS; -o wide adds
/// VALID-UNTIL and REASON (the last verdict's reason).
Table GpuNodesTable(const std::vector<GpuNodeRow>& rows);

/// `kubectl llm nodes -o json`: GpuNodeList (kubectl-llm.dev/v1alpha1), keys in this order:
///   {"apiVersion", "kind": "GpuNodeList", "items": [{"name", "product", "allocatable",
///    "used", "free", "memoryMiB", "taints": [...], "cordoned", "validation", "validUntil",
///    "validationReason"}]}
nlohmann::ordered_json GpuNodeListJson(const std::vector<GpuNodeRow>& rows);

}  // namespace llm

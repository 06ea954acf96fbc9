#include "workload/gpu_nodes.h"

#include <algorithm>

#include <fmt/format.h>

#include "kube/object_fields.h"
#include "kube/well_known_names.h"
#include "util/rfc3339.h"
#include "workload/node_scheduling.h"
#include "workload/pod_resources.h"

namespace llm {
namespace {

int64_t GpuMemoryMib(const nlohmann::json& node) {
  auto value = ParseCountQuantity(nlohmann::json(LabelOf(node, kGpuMemoryLabel)));
  return value && *value > 0 ? *value : 0;
}

void ReadValidation(const nlohmann::json& node, std::chrono::system_clock::time_point now, GpuNodeRow& row) {
  std::string label = LabelOf(node, kGpuCheckLabel);
  row.validation = label.empty() ? "unvalidated" : label;
  std::string summary = StringAt(node, {"metadata", "annotations", kGpuCheckSummaryAnnotation});
  if (summary.empty()) return;
  nlohmann::json parsed = nlohmann::json::parse(summary, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return;
  row.valid_until = StringAt(parsed, {"validUntil"});
  row.validation_reason = StringAt(parsed, {"reason"});
  auto until = ParseRfc3339Exact(row.valid_until);
  if (!label.empty() && until && *until < now) row.validation = "expired";
}

}  // namespace

std::vector<GpuNodeRow> ListGpuNodes(const nlohmann::json& nodes, const nlohmann::json& pods,
                                     std::chrono::system_clock::time_point now) {
  std::map<std::string, int64_t> used = RequestsByNode(pods);
  std::vector<GpuNodeRow> rows;
  for (const nlohmann::json& node : ItemsOf(nodes)) {
    const nlohmann::json* allocatable = FindPath(node, {"status", "allocatable", kGpuResource});
    const nlohmann::json* capacity = FindPath(node, {"status", "capacity", kGpuResource});
    GpuNodeRow row;
    row.product = LabelOf(node, kGpuProductLabel);
    if (allocatable == nullptr && capacity == nullptr && row.product.empty()) continue;
    row.name = StringAt(node, {"metadata", "name"});
    row.allocatable = allocatable == nullptr ? 0 : ParseCountQuantity(*allocatable).value_or(0);
    row.used = used[row.name];
    row.free = std::max<int64_t>(0, row.allocatable - row.used);
    row.memory_mib = GpuMemoryMib(node);
    if (row.memory_mib > 0) row.memory = fmt::format("{:.0f}GiB", static_cast<double>(row.memory_mib) / 1024.0);
    if (const nlohmann::json* taints = FindPath(node, {"spec", "taints"}); taints != nullptr && taints->is_array()) {
      for (const nlohmann::json& taint : *taints) row.taints.push_back(FormatTaint(taint));
    }
    row.cordoned = IsCordoned(node);
    ReadValidation(node, now, row);
    rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end(), [](const GpuNodeRow& a, const GpuNodeRow& b) { return a.name < b.name; });
  return rows;
}

Table GpuNodesTable(const std::vector<GpuNodeRow>& rows) {
  Table table({{"NAME"},
               {"PRODUCT"},
               {"GPUS"},
               {"USED"},
               {"FREE"},
               {"MEMORY"},
               {"VALIDATION"},
               {"TAINTS"},
               {"VALID-UNTIL", true},
               {"REASON", true}});
  auto none = [](const std::string& value) { return value.empty() ? std::string("<none>") : value; };
  for (const GpuNodeRow& row : rows) {
    table.AddRow({row.name, none(row.product), std::to_string(row.allocatable), std::to_string(row.used),
                  std::to_string(row.free), none(row.memory), row.validation,
                  row.taints.empty() ? "<none>" : fmt::format("{}", fmt::join(row.taints, ",")), none(row.valid_until),
                  none(row.validation_reason)});
  }
  return table;
}

nlohmann::ordered_json GpuNodeListJson(const std::vector<GpuNodeRow>& rows) {
  nlohmann::ordered_json items = nlohmann::ordered_json::array();
  for (const GpuNodeRow& row : rows) {
    items.push_back({{"name", row.name},
                     {"product", row.product},
                     {"allocatable", row.allocatable},
                     {"used", row.used},
                     {"free", row.free},
                     {"memoryMiB", row.memory_mib},
                     {"taints", row.taints},
                     {"cordoned", row.cordoned},
                     {"validation", row.validation},
                     {"validUntil", row.valid_until},
                     {"validationReason", row.validation_reason}});
  }
  return {{"apiVersion", "kubectl-llm.dev/v1alpha1"}, {"kind", "GpuNodeList"}, {"items", items}};
}

}  // namespace llm

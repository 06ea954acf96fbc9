#include "workload/pod_resources.h"

#include <algorithm>

#include "kube/object_fields.h"

namespace llm {

int64_t ContainerRequest(const nlohmann::json& container, std::string_view resource) {
  for (const char* kind : {"requests", "limits"}) {
    const nlohmann::json* value = FindPath(container, {"resources", kind, resource});
    if (value != nullptr) return ParseCountQuantity(*value).value_or(0);
  }
  return 0;
}

int64_t PodSpecRequest(const nlohmann::json& pod_spec, std::string_view resource) {
  int64_t containers = 0;
  if (const nlohmann::json* list = FindPath(pod_spec, {"containers"}); list != nullptr && list->is_array()) {
    for (const nlohmann::json& container : *list) containers += ContainerRequest(container, resource);
  }
  int64_t sidecars = 0;   // restartable init containers started so far: they keep running
  int64_t init_peak = 0;  // the largest moment while init containers run
  if (const nlohmann::json* list = FindPath(pod_spec, {"initContainers"}); list != nullptr && list->is_array()) {
    for (const nlohmann::json& init : *list) {
      int64_t request = ContainerRequest(init, resource);
      init_peak = std::max(init_peak, sidecars + request);
      if (StringAt(init, {"restartPolicy"}) == "Always") sidecars += request;
    }
  }
  int64_t total = std::max(containers + sidecars, init_peak);
  if (const nlohmann::json* overhead = FindPath(pod_spec, {"overhead", resource}); overhead != nullptr) {
    total += ParseCountQuantity(*overhead).value_or(0);
  }
  return total;
}

int64_t AllocatableGpus(const nlohmann::json& node) {
  const nlohmann::json* value = FindPath(node, {"status", "allocatable", kGpuResource});
  return value != nullptr ? ParseCountQuantity(*value).value_or(0) : 0;
}

bool IsTerminalPod(const nlohmann::json& pod) {
  std::string phase = StringAt(pod, {"status", "phase"});
  return phase == "Succeeded" || phase == "Failed";
}

std::map<std::string, int64_t> RequestsByNode(const nlohmann::json& pods, std::string_view resource) {
  std::map<std::string, int64_t> used;
  for (const nlohmann::json& pod : ItemsOf(pods)) {
    std::string node = StringAt(pod, {"spec", "nodeName"});
    if (node.empty() || IsTerminalPod(pod)) continue;
    const nlohmann::json* spec = FindPath(pod, {"spec"});
    if (spec != nullptr) used[node] += PodSpecRequest(*spec, resource);
  }
  return used;
}

}  // namespace llm

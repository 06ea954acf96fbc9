#include "workload/backed_off_pods.h"

#include <map>
#include <set>
#include <string_view>
#include <vector>

#include "kube/object_fields.h"
#include "workload/container_stall_rules.h"

namespace llm {
namespace {

bool IsBackOffReason(std::string_view reason) {
  static const std::set<std::string, std::less<>> kReasons = {"CrashLoopBackOff", "ImagePullBackOff",
                                                              "InvalidImageName", "ErrImageNeverPull"};
  return kReasons.contains(reason);
}

/// What makes two containers the same program: a re-apply that fixes a crash,
/// a pull or an OOM kill changes one of these. (Not volumeMounts: admission
/// adds the ServiceAccount token's to pods, never to templates.)
nlohmann::json ContainerKey(const nlohmann::json& container) {
  nlohmann::json key = nlohmann::json::object();
  for (const char* field : {"name", "image", "command", "args", "env", "envFrom", "resources"}) {
    if (container.contains(field)) key[field] = container[field];
  }
  return key;
}

/// Every pod template in `object` ({metadata, spec} with spec.containers),
/// wherever the kind keeps them: a Deployment's or Job's spec.template, a
/// LeaderWorkerSet's leader and worker templates, a JobSet's replicated jobs.
void CollectTemplates(const nlohmann::json& object, std::vector<const nlohmann::json*>& templates) {
  if (object.is_array()) {
    for (const nlohmann::json& item : object) CollectTemplates(item, templates);
    return;
  }
  if (!object.is_object()) return;
  const nlohmann::json* containers = FindPath(object, {"spec", "containers"});
  if (containers != nullptr && containers->is_array()) {
    templates.push_back(&object);
    return;
  }
  for (const auto& [field, value] : object.items()) {
    if (field != "status") CollectTemplates(value, templates);
  }
}

/// Every key/value of `want` (labels or annotations) is in `have`.
bool Includes(const nlohmann::json* have, const nlohmann::json* want) {
  if (want == nullptr || !want->is_object()) return true;
  if (have == nullptr || !have->is_object()) return want->empty();
  for (const auto& [key, value] : want->items()) {
    auto found = have->find(key);
    if (found == have->end() || *found != value) return false;
  }
  return true;
}

/// The pod was made from `tmpl`: its labels and annotations include the
/// template's (controllers and admission only add), and each of its
/// containers the template names, at least one, is that container. A
/// container the template does not name was added on the way (a webhook's
/// sidecar) and says nothing.
bool MadeFrom(const nlohmann::json& pod, const nlohmann::json& tmpl) {
  if (!Includes(FindPath(pod, {"metadata", "labels"}), FindPath(tmpl, {"metadata", "labels"}))) return false;
  if (!Includes(FindPath(pod, {"metadata", "annotations"}), FindPath(tmpl, {"metadata", "annotations"}))) return false;
  std::map<std::string, nlohmann::json> wanted;
  for (const char* field : {"initContainers", "containers"}) {
    const nlohmann::json* list = FindPath(tmpl, {"spec", field});
    if (list == nullptr || !list->is_array()) continue;
    for (const nlohmann::json& container : *list) wanted[container.value("name", "")] = ContainerKey(container);
  }
  int named = 0;
  for (const char* field : {"initContainers", "containers"}) {
    const nlohmann::json* list = FindPath(pod, {"spec", field});
    if (list == nullptr || !list->is_array()) continue;
    for (const nlohmann::json& container : *list) {
      auto known = wanted.find(container.value("name", ""));
      if (known == wanted.end()) continue;
      if (known->second != ContainerKey(container)) return false;
      ++named;
    }
  }
  return named > 0;  // another template's pod (a leader's, not a worker's) shares none
}

}  // namespace

std::string KubeletBackOffReason(const nlohmann::json& pod) {
  for (const nlohmann::json* status : stall::ContainerStatuses(pod)) {
    std::string reason = StringAt(*status, {"state", "waiting", "reason"});
    if (IsBackOffReason(reason)) return reason;
  }
  return "";
}

bool RunsCurrentTemplate(const nlohmann::json& pod, const nlohmann::json& workload) {
  std::vector<const nlohmann::json*> templates;
  CollectTemplates(workload.contains("spec") ? workload["spec"] : workload, templates);
  for (const nlohmann::json* tmpl : templates) {
    if (MadeFrom(pod, *tmpl)) return true;
  }
  return false;
}

nlohmann::json BackedOffPods(const nlohmann::json& pods, const nlohmann::json& workload) {
  nlohmann::json out = nlohmann::json::array();
  for (const nlohmann::json& pod : ItemsOf(pods)) {
    if (FindPath(pod, {"metadata", "deletionTimestamp"}) != nullptr) continue;
    if (KubeletBackOffReason(pod).empty()) continue;
    if (!workload.is_null() && !RunsCurrentTemplate(pod, workload)) continue;
    out.push_back(pod);
  }
  return out;
}

}  // namespace llm

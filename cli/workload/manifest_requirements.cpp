#include "workload/manifest_requirements.h"

#include <algorithm>

#include "kube/object_fields.h"
#include "workload/pod_resources.h"
#include "workload/pod_templates.h"

namespace llm {
namespace {

using nlohmann::json;

void AddTemplate(std::vector<PodTemplateUse>& out, const json& pod_template, int64_t pods) {
  const json* spec = FindPath(pod_template, {"spec"});
  if (spec != nullptr && spec->is_object() && pods > 0) out.push_back({*spec, pods});
}

/// Every PodSpec in the objects, for the reference scan.
std::vector<json> PodSpecs(const std::vector<json>& objects) {
  std::vector<json> specs;
  for (const json& object : objects) {
    for (PodTemplateUse& use : PodTemplatesOf(object)) specs.push_back(std::move(use.pod_spec));
  }
  return specs;
}

void ScanContainers(const json& containers, ObjectReferences& refs) {
  for (const json& container : containers) {
    for (const json& var : ArrayAt(container, {"env"})) {
      std::string name = StringAt(var, {"valueFrom", "secretKeyRef", "name"});
      if (!name.empty()) refs.secrets.insert(name);
    }
    for (const json& source : ArrayAt(container, {"envFrom"})) {
      std::string name = StringAt(source, {"secretRef", "name"});
      if (!name.empty()) refs.secrets.insert(name);
    }
  }
}

}  // namespace

std::vector<PodTemplateUse> PodTemplatesOf(const json& object) {
  std::vector<PodTemplateUse> out;
  ForEachPodTemplate(object, [&](const json& pod_template, int64_t pods) { AddTemplate(out, pod_template, pods); });
  return out;
}

std::optional<GpuFitRequest> GpuRequestOf(const std::vector<json>& objects) {
  std::optional<GpuFitRequest> request;
  for (const json& object : objects) {
    for (const PodTemplateUse& use : PodTemplatesOf(object)) {
      const int64_t gpus = PodSpecRequest(use.pod_spec);
      if (gpus <= 0) continue;
      if (request && gpus < request->gpus_per_pod) continue;
      if (request && gpus == request->gpus_per_pod) {
        request->pods += use.pods;
        continue;
      }
      GpuFitRequest next;
      next.gpus_per_pod = gpus;
      next.pods = use.pods;
      const json* selector = FindPath(use.pod_spec, {"nodeSelector"});
      if (selector != nullptr && selector->is_object()) {
        for (const auto& [key, value] : selector->items()) {
          if (value.is_string()) next.node_selector[key] = value.get<std::string>();
        }
      }
      const json& tolerations = ArrayAt(use.pod_spec, {"tolerations"});
      if (!tolerations.empty()) next.tolerations = tolerations;
      const json& terms =
          ArrayAt(use.pod_spec,
                  {"affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"});
      // Several terms are ORed; only a single term's `In [one value]` expressions are certain requirements.
      if (terms.size() == 1) {
        for (const json& expression : ArrayAt(terms[0], {"matchExpressions"})) {
          const json& values = ArrayAt(expression, {"values"});
          if (StringAt(expression, {"operator"}) == "In" && values.size() == 1 && values[0].is_string()) {
            next.required_node_labels[StringAt(expression, {"key"})] = values[0].get<std::string>();
          }
        }
      }
      request = std::move(next);
    }
  }
  return request;
}

ObjectReferences ReferencesOf(const std::vector<json>& objects) {
  ObjectReferences refs;
  for (const json& spec : PodSpecs(objects)) {
    ScanContainers(ArrayAt(spec, {"containers"}), refs);
    ScanContainers(ArrayAt(spec, {"initContainers"}), refs);
    for (const json& volume : ArrayAt(spec, {"volumes"})) {
      std::string secret = StringAt(volume, {"secret", "secretName"});
      if (!secret.empty()) refs.secrets.insert(secret);
      std::string claim = StringAt(volume, {"persistentVolumeClaim", "claimName"});
      if (!claim.empty()) refs.pvcs.insert(claim);
    }
    for (const json& secret : ArrayAt(spec, {"imagePullSecrets"})) {
      std::string name = StringAt(secret, {"name"});
      if (!name.empty()) refs.secrets.insert(name);
    }
    std::string priority = StringAt(spec, {"priorityClassName"});
    if (!priority.empty()) refs.priority_classes.insert(priority);
  }
  for (const json& object : objects) {
    std::string queue = StringAt(object, {"metadata", "labels", "kueue.x-k8s.io/queue-name"});
    if (!queue.empty()) refs.local_queues.insert(queue);
  }
  for (const json& object : objects) {
    const std::string kind = StringAt(object, {"kind"});
    const std::string name = StringAt(object, {"metadata", "name"});
    if (kind == "Secret") refs.secrets.erase(name);
    if (kind == "PersistentVolumeClaim") refs.pvcs.erase(name);
    if (kind == "PriorityClass") refs.priority_classes.erase(name);
    if (kind == "LocalQueue") refs.local_queues.erase(name);
  }
  return refs;
}

}  // namespace llm

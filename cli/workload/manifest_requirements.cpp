#include "workload/manifest_requirements.h"

#include <algorithm>

#include "workload/pod_resources.h"
#include "workload/pod_templates.h"

namespace llm {
namespace {

using nlohmann::json;

const json& At(const json& object, std::initializer_list<const char*> path) {
  static const json kNull;
  const json* node = &object;
  for (const char* key : path) {
    if (!node->is_object() || !node->contains(key)) return kNull;
    node = &(*node)[key];
  }
  return *node;
}

std::string StringOr(const json& value) { return value.is_string() ? value.get<std::string>() : std::string(); }

void AddTemplate(std::vector<PodTemplateUse>& out, const json& pod_template, int64_t pods) {
  const json& spec = At(pod_template, {"spec"});
  if (spec.is_object() && pods > 0) out.push_back({spec, pods});
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
  if (!containers.is_array()) return;
  for (const json& container : containers) {
    const json& env = At(container, {"env"});
    if (env.is_array()) {
      for (const json& var : env) {
        std::string name = StringOr(At(var, {"valueFrom", "secretKeyRef", "name"}));
        if (!name.empty()) refs.secrets.insert(name);
      }
    }
    const json& env_from = At(container, {"envFrom"});
    if (env_from.is_array()) {
      for (const json& source : env_from) {
        std::string name = StringOr(At(source, {"secretRef", "name"}));
        if (!name.empty()) refs.secrets.insert(name);
      }
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
      const json& selector = At(use.pod_spec, {"nodeSelector"});
      if (selector.is_object()) {
        for (const auto& [key, value] : selector.items()) {
          if (value.is_string()) next.node_selector[key] = value.get<std::string>();
        }
      }
      const json& tolerations = At(use.pod_spec, {"tolerations"});
      if (tolerations.is_array()) next.tolerations = tolerations;
      const json& terms =
          At(use.pod_spec, {"affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"});
      // Several terms are ORed; only a single term's `In [one value]` expressions are certain requirements.
      if (terms.is_array() && terms.size() == 1) {
        const json& expressions = At(terms[0], {"matchExpressions"});
        if (expressions.is_array()) {
          for (const json& expression : expressions) {
            const json& values = At(expression, {"values"});
            if (StringOr(At(expression, {"operator"})) == "In" && values.is_array() && values.size() == 1 &&
                values[0].is_string()) {
              next.required_node_labels[StringOr(At(expression, {"key"}))] = values[0].get<std::string>();
            }
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
    ScanContainers(At(spec, {"containers"}), refs);
    ScanContainers(At(spec, {"initContainers"}), refs);
    const json& volumes = At(spec, {"volumes"});
    if (volumes.is_array()) {
      for (const json& volume : volumes) {
        std::string secret = StringOr(At(volume, {"secret", "secretName"}));
        if (!secret.empty()) refs.secrets.insert(secret);
        std::string claim = StringOr(At(volume, {"persistentVolumeClaim", "claimName"}));
        if (!claim.empty()) refs.pvcs.insert(claim);
      }
    }
    const json& pull = At(spec, {"imagePullSecrets"});
    if (pull.is_array()) {
      for (const json& secret : pull) {
        std::string name = StringOr(At(secret, {"name"}));
        if (!name.empty()) refs.secrets.insert(name);
      }
    }
    std::string priority = StringOr(At(spec, {"priorityClassName"}));
    if (!priority.empty()) refs.priority_classes.insert(priority);
  }
  for (const json& object : objects) {
    std::string queue = StringOr(At(object, {"metadata", "labels", "kueue.x-k8s.io/queue-name"}));
    if (!queue.empty()) refs.local_queues.insert(queue);
  }
  for (const json& object : objects) {
    const std::string kind = StringOr(At(object, {"kind"}));
    const std::string name = StringOr(At(object, {"metadata", "name"}));
    if (kind == "Secret") refs.secrets.erase(name);
    if (kind == "PersistentVolumeClaim") refs.pvcs.erase(name);
    if (kind == "PriorityClass") refs.priority_classes.erase(name);
    if (kind == "LocalQueue") refs.local_queues.erase(name);
  }
  return refs;
}

}  // namespace llm

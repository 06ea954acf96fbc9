// Where the pod templates of a workload object are, for the kinds serve and
// train render: one walk shared by the code that reads templates (preflight's
// GPU request) and the code that changes them (--require-validated's node
// affinity), so the two never disagree about a kind.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace llm {
namespace pod_templates_detail {

/// The child `key` of an object, or nullptr. `J` may be const and may be
/// nlohmann::json or nlohmann::ordered_json (the renderer keeps key order).
template <class J>
J* Child(J* node, const char* key) {
  if (node == nullptr || !node->is_object()) return nullptr;
  auto it = node->find(key);
  return it == node->end() ? nullptr : &*it;
}

template <class J>
int64_t IntOr(J* value, int64_t fallback) {
  return value != nullptr && value->is_number_integer() ? value->template get<int64_t>() : fallback;
}

}  // namespace pod_templates_detail

/// Calls `visit(pod_template, pods)` for each pod template of `object` (a
/// value holding `spec`: a PodTemplateSpec, or the Pod itself) with how many
/// pods it makes: Deployment/StatefulSet/ReplicaSet (replicas), Job
/// (parallelism), LeaderWorkerSet (replicas x (leader + size-1 workers), or
/// replicas x size workers without a leader template), JobSet (replicatedJobs
/// replicas x parallelism) and Pod. Other kinds have none.
template <class J, class Visit>
void ForEachPodTemplate(J& object, Visit&& visit) {
  using pod_templates_detail::Child;
  using pod_templates_detail::IntOr;
  J* kind_value = Child(&object, "kind");
  const std::string kind =
      kind_value != nullptr && kind_value->is_string() ? kind_value->template get<std::string>() : "";
  J* spec = Child(&object, "spec");
  auto use = [&](J* pod_template, int64_t pods) {
    if (pod_template != nullptr && pod_template->is_object()) visit(*pod_template, pods);
  };
  if (kind == "Deployment" || kind == "StatefulSet" || kind == "ReplicaSet") {
    use(Child(spec, "template"), IntOr(Child(spec, "replicas"), 1));
  } else if (kind == "Job") {
    use(Child(spec, "template"), IntOr(Child(spec, "parallelism"), 1));
  } else if (kind == "LeaderWorkerSet") {
    const int64_t replicas = IntOr(Child(spec, "replicas"), 1);
    J* lwt = Child(spec, "leaderWorkerTemplate");
    const int64_t size = IntOr(Child(lwt, "size"), 1);
    J* leader = Child(lwt, "leaderTemplate");
    if (leader != nullptr && leader->is_object()) {
      use(leader, replicas);
      use(Child(lwt, "workerTemplate"), replicas * (size - 1));
    } else {
      use(Child(lwt, "workerTemplate"), replicas * size);
    }
  } else if (kind == "JobSet") {
    J* jobs = Child(spec, "replicatedJobs");
    if (jobs != nullptr && jobs->is_array()) {
      for (auto& job : *jobs) {
        J* job_spec = Child(Child(&job, "template"), "spec");
        use(Child(job_spec, "template"), IntOr(Child(&job, "replicas"), 1) * IntOr(Child(job_spec, "parallelism"), 1));
      }
    }
  } else if (kind == "Pod") {
    use(&object, 1);
  }
}

}  // namespace llm

#include "workload/log_prefix.h"

#include <fmt/format.h>

#include "kube/object_fields.h"

namespace llm {

PodIdentity IdentifyPod(const nlohmann::json& pod) {
  PodIdentity id;
  id.display_name = StringAt(pod, {"metadata", "name"});
  std::string worker_index = LabelOf(pod, kLwsWorkerIndexLabel);
  if (!worker_index.empty()) {
    id.role = worker_index == "0" ? "leader" : "worker";
    return id;
  }
  std::string index = LabelOf(pod, kJobCompletionIndexLabel);
  if (index.empty()) {
    // Older API servers only set the annotation.
    index = StringAt(pod, {"metadata", "annotations", kJobCompletionIndexLabel});
  }
  if (index.empty()) return id;
  std::string job = LabelOf(pod, kJobNameLabel);
  if (job.empty()) job = LabelOf(pod, "job-name");
  if (!job.empty()) id.display_name = fmt::format("{}-{}", job, index);
  std::string replicated_job = LabelOf(pod, kJobSetReplicatedJobLabel);
  id.role = replicated_job.empty() ? "rank=" + index : fmt::format("{} rank={}", replicated_job, index);
  return id;
}

std::string LogPrefix(const nlohmann::json& pod, std::string_view container) {
  PodIdentity id = IdentifyPod(pod);
  std::string text = "[" + id.display_name;
  if (!id.role.empty()) text += " " + id.role;
  if (!container.empty()) text += " " + std::string(container);
  return text + "]";
}

}  // namespace llm

#include "workload/elastic_training.h"

#include <charconv>
#include <limits>

#include <fmt/format.h>

#include "kube/object_fields.h"
#include "kube/well_known_names.h"

namespace llm {
namespace {

std::optional<int64_t> Number(std::string_view text) {
  int64_t value = 0;
  if (text.empty() || text.size() > 9) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

bool ConditionTrue(const nlohmann::json& object, std::string_view type) {
  const nlohmann::json* condition = FindCondition(object, type);
  return condition != nullptr && StringAt(*condition, {"status"}) == "True";
}

bool HasSchedulingGate(const nlohmann::json& pod_spec, std::string_view name) {
  for (const nlohmann::json& gate : ArrayAt(pod_spec, {"schedulingGates"})) {
    if (StringAt(gate, {"name"}) == name) return true;
  }
  return false;
}

int64_t MaxRestartsOf(const nlohmann::json& pod_spec) {
  const nlohmann::json& containers = ArrayAt(pod_spec, {"containers"});
  if (containers.empty()) return -1;
  for (const nlohmann::json& env : ArrayAt(containers[0], {"env"})) {
    if (StringAt(env, {"name"}) != "PET_MAX_RESTARTS") continue;
    return Number(StringAt(env, {"value"})).value_or(-1);
  }
  return -1;
}

}  // namespace

std::optional<NodeRange> ParseNodeRange(std::string_view text, int64_t limit) {
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::optional<int64_t> min = Number(text.substr(0, colon));
  const std::optional<int64_t> max = Number(text.substr(colon + 1));
  if (!min || !max || *min < 1 || *min > *max || *max > limit) return std::nullopt;
  return NodeRange{*min, *max};
}

std::string FormatNodeRange(const NodeRange& range) { return fmt::format("{}:{}", range.min, range.max); }

std::optional<ElasticJob> ReadElasticJob(const nlohmann::json& object) {
  ElasticJob job;
  job.kind = StringAt(object, {"kind"});
  if (job.kind != "Job" && job.kind != "JobSet") return std::nullopt;
  const std::optional<NodeRange> bounds =
      ParseNodeRange(AnnotationOf(object, kElasticNodesAnnotation), std::numeric_limits<int32_t>::max());
  if (!bounds) return std::nullopt;
  job.bounds = *bounds;
  const nlohmann::json* pod_spec = nullptr;
  if (job.kind == "Job") {
    job.nodes = IntAt(object, {"spec", "parallelism"}, 1);
    job.restarts = IntAt(object, {"status", "failed"});
    pod_spec = FindPath(object, {"spec", "template", "spec"});
    job.finished = ConditionTrue(object, "Complete") || ConditionTrue(object, "Failed");
  } else {
    const nlohmann::json& jobs = ArrayAt(object, {"spec", "replicatedJobs"});
    if (!jobs.empty()) {
      job.nodes = IntAt(jobs[0], {"template", "spec", "parallelism"}, 1);
      pod_spec = FindPath(jobs[0], {"template", "spec", "template", "spec"});
    }
    job.restarts = IntAt(object, {"status", "restarts"});
    job.finished = ConditionTrue(object, "Completed") || ConditionTrue(object, "Failed");
  }
  if (pod_spec != nullptr) job.max_restarts = MaxRestartsOf(*pod_spec);
  job.queued = !LabelOf(object, "kueue.x-k8s.io/queue-name").empty();
  job.kueue_elastic = AnnotationOf(object, kKueueElasticJobAnnotation) == "true" && pod_spec != nullptr &&
                      HasSchedulingGate(*pod_spec, kKueueElasticJobAnnotation);
  return job;
}

}  // namespace llm

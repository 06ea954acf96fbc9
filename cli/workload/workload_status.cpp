#include "workload/workload_status.h"

#include <fmt/format.h>

#include "kube/object_fields.h"
#include "kube/well_known_names.h"
#include "output/human_duration.h"
#include "workload/elastic_status.h"
#include "workload/pod_resources.h"

namespace llm {
namespace {

bool ConditionTrue(const nlohmann::json& object, std::string_view type) {
  const nlohmann::json* condition = FindCondition(object, type);
  return condition != nullptr && StringAt(*condition, {"status"}) == "True";
}

int64_t SpecRequest(const nlohmann::json& object, std::initializer_list<std::string_view> path) {
  const nlohmann::json* spec = FindPath(object, path);
  return spec == nullptr ? 0 : PodSpecRequest(*spec);
}

bool Suspended(const nlohmann::json& object) {
  const nlohmann::json* suspend = FindPath(object, {"spec", "suspend"});
  return (suspend != nullptr && suspend->is_boolean() && suspend->get<bool>()) || ConditionTrue(object, "Suspended");
}

void FillDeployment(const nlohmann::json& o, WorkloadStatus& s) {
  s.unit = "pods";
  s.desired = IntAt(o, {"spec", "replicas"}, 1);
  s.ready = IntAt(o, {"status", "readyReplicas"});
  s.gpus = s.desired * SpecRequest(o, {"spec", "template", "spec"});
  const nlohmann::json* progressing = FindCondition(o, "Progressing");
  if (s.desired == 0) {
    s.state = "ScaledToZero";
  } else if (progressing != nullptr && StringAt(*progressing, {"reason"}) == "ProgressDeadlineExceeded") {
    s.state = "Failed";
  } else if (s.ready >= s.desired && IntAt(o, {"status", "updatedReplicas"}) >= s.desired) {
    s.state = "Available";
  } else {
    s.state = "Progressing";
  }
}

// A StatefulSet (a --templates set may render one) is up when every replica
// is ready and runs the update revision.
void FillStatefulSet(const nlohmann::json& o, WorkloadStatus& s) {
  s.unit = "pods";
  s.desired = IntAt(o, {"spec", "replicas"}, 1);
  s.ready = IntAt(o, {"status", "readyReplicas"});
  s.gpus = s.desired * SpecRequest(o, {"spec", "template", "spec"});
  if (s.desired == 0) {
    s.state = "ScaledToZero";
  } else if (s.ready >= s.desired && IntAt(o, {"status", "updatedReplicas"}) >= s.desired) {
    s.state = "Available";
  } else {
    s.state = "Progressing";
  }
}

void FillLeaderWorkerSet(const nlohmann::json& o, WorkloadStatus& s) {
  s.unit = "groups";
  s.desired = IntAt(o, {"spec", "replicas"}, 1);
  s.ready = IntAt(o, {"status", "readyReplicas"});
  int64_t size = IntAt(o, {"spec", "leaderWorkerTemplate", "size"}, 1);
  int64_t worker = SpecRequest(o, {"spec", "leaderWorkerTemplate", "workerTemplate", "spec"});
  // Without a leaderTemplate the leader is made from the worker template.
  int64_t leader = FindPath(o, {"spec", "leaderWorkerTemplate", "leaderTemplate", "spec"}) != nullptr
                       ? SpecRequest(o, {"spec", "leaderWorkerTemplate", "leaderTemplate", "spec"})
                       : worker;
  s.gpus = s.desired * (leader + (size - 1) * worker);
  if (s.desired == 0) {
    s.state = "ScaledToZero";
  } else if (ConditionTrue(o, "Available") && s.ready >= s.desired) {
    s.state = "Available";
  } else {
    s.state = "Progressing";
  }
}

std::string JobState(const nlohmann::json& o, const WorkloadStatus& s, std::string_view complete_condition) {
  if (ConditionTrue(o, complete_condition)) return "Completed";
  if (ConditionTrue(o, "Failed")) return "Failed";
  if (Suspended(o)) return "Suspended";
  return s.ready >= s.desired ? "Running" : "Starting";
}

void FillJobSet(const nlohmann::json& o, WorkloadStatus& s) {
  s.unit = "jobs";
  if (const nlohmann::json* jobs = FindPath(o, {"spec", "replicatedJobs"}); jobs != nullptr && jobs->is_array()) {
    for (const nlohmann::json& job : *jobs) {
      int64_t replicas = IntAt(job, {"replicas"}, 1);
      s.desired += replicas;
      s.gpus += replicas * IntAt(job, {"template", "spec", "parallelism"}, 1) *
                SpecRequest(job, {"template", "spec", "template", "spec"});
    }
  }
  if (const nlohmann::json* statuses = FindPath(o, {"status", "replicatedJobsStatus"});
      statuses != nullptr && statuses->is_array()) {
    for (const nlohmann::json& status : *statuses) s.ready += IntAt(status, {"ready"}) + IntAt(status, {"succeeded"});
  }
  s.state = JobState(o, s, "Completed");
}

void FillJob(const nlohmann::json& o, WorkloadStatus& s) {
  s.unit = "pods";
  s.desired = IntAt(o, {"spec", "parallelism"}, 1);
  s.ready = IntAt(o, {"status", "ready"});
  s.gpus = s.desired * SpecRequest(o, {"spec", "template", "spec"});
  s.state = JobState(o, s, "Complete");
}

std::optional<ServiceEndpoint> FindEndpoint(const nlohmann::json& services, const WorkloadStatus& s) {
  for (const nlohmann::json& service : ItemsOf(services)) {
    if (LabelOf(service, kInstanceLabel) != s.name) continue;
    if (StringAt(service, {"spec", "clusterIP"}) == "None") continue;
    const nlohmann::json* ports = FindPath(service, {"spec", "ports"});
    if (ports == nullptr || !ports->is_array() || ports->empty()) continue;
    const nlohmann::json* chosen = &ports->front();
    for (const nlohmann::json& port : *ports) {
      if (StringAt(port, {"name"}) == "http") chosen = &port;
    }
    ServiceEndpoint e;
    e.service = StringAt(service, {"metadata", "name"});
    e.port = IntAt(*chosen, {"port"});
    e.host = fmt::format("{}.{}.svc", e.service, StringAt(service, {"metadata", "namespace"}, s.namespace_));
    return e;
  }
  return std::nullopt;
}

std::string OrNone(const std::string& value) { return value.empty() ? "<none>" : value; }

}  // namespace

WorkloadStatus SummarizeWorkload(const nlohmann::json& object, const nlohmann::json& services) {
  WorkloadStatus s;
  s.name = LabelOf(object, kInstanceLabel);
  if (s.name.empty()) s.name = StringAt(object, {"metadata", "name"});
  s.namespace_ = StringAt(object, {"metadata", "namespace"});
  s.kind = StringAt(object, {"kind"});
  s.api_version = StringAt(object, {"apiVersion"});
  s.engine = LabelOf(object, kNameLabel);
  s.component = LabelOf(object, kComponentLabel);
  s.model = AnnotationOf(object, kModelAnnotation);
  s.created = StringAt(object, {"metadata", "creationTimestamp"});
  if (s.kind == "Deployment") {
    FillDeployment(object, s);
  } else if (s.kind == "StatefulSet") {
    FillStatefulSet(object, s);
  } else if (s.kind == "LeaderWorkerSet") {
    FillLeaderWorkerSet(object, s);
  } else if (s.kind == "JobSet") {
    FillJobSet(object, s);
  } else if (s.kind == "Job") {
    FillJob(object, s);
  } else {
    s.state = "Unknown";
  }
  s.endpoint = FindEndpoint(services, s);
  s.elastic = ReadElasticJob(object);
  return s;
}

Table WorkloadStatusTable(const std::vector<WorkloadStatus>& rows, std::chrono::system_clock::time_point now,
                          bool all_namespaces) {
  std::vector<TableColumn> columns;
  if (all_namespaces) columns.push_back({"NAMESPACE"});
  const bool elastic = AnyElastic(rows);
  for (const char* name : {"NAME", "KIND", "ENGINE", "READY", "STATUS"}) columns.push_back({name});
  if (elastic) AddElasticColumns(columns);
  for (const char* name : {"GPUS", "ENDPOINT", "AGE"}) columns.push_back({name});
  for (const char* name : {"COMPONENT", "MODEL", "AUTOSCALE", "TARGETS", "SCALED"}) columns.push_back({name, true});
  Table table(std::move(columns));
  for (const WorkloadStatus& s : rows) {
    std::vector<std::string> cells;
    if (all_namespaces) cells.push_back(s.namespace_);
    cells.push_back(s.name);
    cells.push_back(s.kind);
    cells.push_back(OrNone(s.engine));
    cells.push_back(fmt::format("{}/{}", s.ready, s.desired));
    cells.push_back(s.state);
    if (elastic) AddElasticCells(s.elastic, cells);
    cells.push_back(std::to_string(s.gpus));
    cells.push_back(s.endpoint ? fmt::format("{}:{}", s.endpoint->host, s.endpoint->port) : "<none>");
    cells.push_back(HumanAge(s.created, now));
    cells.push_back(OrNone(s.component));
    cells.push_back(OrNone(s.model));
    const std::optional<AutoscalerStatus>& a = s.autoscaler;
    cells.push_back(a ? fmt::format("{}-{}", a->min_replicas, a->max_replicas) : "<none>");
    cells.push_back(a ? a->TargetsText() : "<none>");
    cells.push_back(a && !a->last_scale_time.empty() ? HumanAge(a->last_scale_time, now) : "<none>");
    table.AddRow(std::move(cells));
  }
  return table;
}

nlohmann::ordered_json WorkloadStatusListJson(const std::vector<WorkloadStatus>& rows) {
  nlohmann::ordered_json items = nlohmann::ordered_json::array();
  for (const WorkloadStatus& s : rows) {
    nlohmann::ordered_json endpoint = nullptr;
    if (s.endpoint) {
      endpoint = {{"service", s.endpoint->service},
                  {"port", s.endpoint->port},
                  {"host", s.endpoint->host},
                  {"url", fmt::format("http://{}:{}", s.endpoint->host, s.endpoint->port)}};
    }
    items.push_back({{"name", s.name},
                     {"namespace", s.namespace_},
                     {"kind", s.kind},
                     {"apiVersion", s.api_version},
                     {"engine", s.engine},
                     {"component", s.component},
                     {"model", s.model},
                     {"state", s.state},
                     {"ready", s.ready},
                     {"desired", s.desired},
                     {"unit", s.unit},
                     {"gpus", s.gpus},
                     {"creationTimestamp", s.created},
                     {"endpoint", endpoint},
                     {"autoscaler", AutoscalerJson(s.autoscaler)},
                     {"elastic", ElasticJson(s.elastic)}});
  }
  return {{"apiVersion", kWorkloadStatusApiVersion}, {"kind", "WorkloadStatusList"}, {"items", items}};
}

}  // namespace llm

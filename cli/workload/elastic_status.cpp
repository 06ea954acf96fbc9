#include "workload/elastic_status.h"

#include <fmt/format.h>

namespace llm {

bool AnyElastic(const std::vector<WorkloadStatus>& rows) {
  for (const WorkloadStatus& row : rows) {
    if (row.elastic) return true;
  }
  return false;
}

void AddElasticColumns(std::vector<TableColumn>& columns) {
  columns.push_back({"NODES"});
  columns.push_back({"RESTARTS"});
}

void AddElasticCells(const std::optional<ElasticJob>& job, std::vector<std::string>& cells) {
  if (!job) {
    cells.insert(cells.end(), {"<none>", "<none>"});
    return;
  }
  cells.push_back(fmt::format("{} ({}-{})", job->nodes, job->bounds.min, job->bounds.max));
  cells.push_back(std::to_string(job->restarts));
}

nlohmann::ordered_json ElasticJson(const std::optional<ElasticJob>& job) {
  if (!job) return nullptr;
  return {
      {"nodes", job->nodes}, {"minNodes", job->bounds.min}, {"maxNodes", job->bounds.max}, {"restarts", job->restarts}};
}

}  // namespace llm

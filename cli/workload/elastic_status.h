// What `kubectl llm status` shows of elastic training jobs (train --nodes
// MIN:MAX): NODES, the nodes it asks for now with its bounds ("3 (2-4)"), and
// RESTARTS (pods replaced after a failure; a JobSet's group restarts). The
// two columns appear when at least one row is elastic, so the table of a
// namespace without elastic jobs is unchanged; -o json has the same under
// "elastic" (null for the others).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "output/table_printer.h"
#include "workload/elastic_training.h"
#include "workload/workload_status.h"

namespace llm {

/// Whether any row is elastic: the columns are added then.
bool AnyElastic(const std::vector<WorkloadStatus>& rows);
/// NODES and RESTARTS.
void AddElasticColumns(std::vector<TableColumn>& columns);
/// Their cells: "3 (2-4)" and "0"; "<none>" twice for a job that is not elastic.
void AddElasticCells(const std::optional<ElasticJob>& job, std::vector<std::string>& cells);
/// {"nodes", "minNodes", "maxNodes", "restarts"}, or null.
nlohmann::ordered_json ElasticJson(const std::optional<ElasticJob>& job);

}  // namespace llm

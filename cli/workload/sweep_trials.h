// A sweep's trials as the cluster holds them, rebuilt from labels alone (so
// `sweep status` works after Ctrl-C or from another machine): each trial's
// job (Indexed Job or JobSet labelled kubectl-llm.dev/sweep=NAME), its
// parameters and objective from the job's annotations, its state, how long it
// ran, and its metric from its pods' termination messages, which the trial's
// wrapper writes (render/sweep_trial.h). Ranked best first.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "output/table_printer.h"
#include "workload/sweep_plan.h"

namespace llm {

struct TrialRow {
  int index = 0;     ///< kubectl-llm.dev/trial
  std::string name;  ///< the job's name
  TrialParams params;
  std::string state;  ///< as `status` says it: Suspended, Starting, Running, Completed, Failed
  bool ended = false;
  std::optional<double> metric;
  std::optional<std::chrono::seconds> duration;  ///< from start to end (or `now` while it runs)
  std::string reason;                            ///< why a failed trial failed
  std::string metric_pod;                        ///< the pod to read a log tail from when no message holds the metric
};

struct SweepObjective {
  std::string metric;
  bool maximize = false;
};

/// The last value of `metric` in `text` ("val_loss=0.31"; the name at the
/// start of a line or after a character that cannot be part of a name).
std::optional<double> MetricFromText(std::string_view text, std::string_view metric);

/// The objective the trials carry (kubectl-llm.dev/sweep-metric and -mode of
/// the first that has them); nullopt when none does.
std::optional<SweepObjective> ReadSweepObjective(const nlohmann::json& jobs);

/// One row per job in `jobs` (a List or array), its metric read from the
/// trial's pods in `pods` (matched by kubectl-llm.dev/trial): the trainer's
/// terminated state's message, index 0's pod first.
std::vector<TrialRow> ReadTrialRows(const nlohmann::json& jobs, const nlohmann::json& pods,
                                    const SweepObjective& objective, std::chrono::system_clock::time_point now);

/// Best first: ended trials with a metric by the objective, then the others by number.
void RankTrials(std::vector<TrialRow>& rows, const SweepObjective& objective);

/// TRIAL NAME STATUS <METRIC> DURATION, then one column per parameter.
Table TrialTable(const std::vector<TrialRow>& rows, const SweepObjective& objective);

/// `sweep status -o json`: {"apiVersion": "kubectl-llm.dev/v1", "kind": "SweepStatus", "name", "metric",
/// "mode", "trials": [{"trial", "name", "params", "state", "metric", "durationSeconds", "reason"}]}.
nlohmann::ordered_json SweepStatusJson(const std::string& sweep, const std::vector<TrialRow>& rows,
                                       const SweepObjective& objective);

}  // namespace llm

#include "workload/sweep_trials.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include <fmt/format.h>

#include "kube/object_fields.h"
#include "kube/well_known_names.h"
#include "output/human_duration.h"
#include "util/rfc3339.h"
#include "util/strings.h"
#include "workload/workload_status.h"

namespace llm {
namespace {

using nlohmann::json;

constexpr std::string_view kCompletionIndexAnnotation = "batch.kubernetes.io/job-completion-index";

bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

TrialParams ParamsOf(const json& job) {
  TrialParams params;
  const nlohmann::ordered_json parsed =
      nlohmann::ordered_json::parse(AnnotationOf(job, kTrialParamsAnnotation), nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) return params;
  for (const auto& [name, value] : parsed.items()) {
    params.emplace_back(name, value.is_string() ? value.get<std::string>() : value.dump());
  }
  return params;
}

/// The trainer's message, from its current or last terminated state.
std::string TerminationMessage(const json& pod) {
  for (const json& status : ArrayAt(pod, {"status", "containerStatuses"})) {
    if (status.value("name", "") != "trainer") continue;
    std::string message = StringAt(status, {"state", "terminated", "message"});
    if (message.empty()) message = StringAt(status, {"lastState", "terminated", "message"});
    return message;
  }
  return "";
}

/// When the trial ended: its terminal condition's time (Job: completionTime first).
std::string EndTime(const json& job) {
  if (std::string done = StringAt(job, {"status", "completionTime"}); !done.empty()) return done;
  for (std::string_view type : {"Complete", "Completed", "Failed"}) {
    const json* condition = FindCondition(job, type);
    if (condition && condition->value("status", "") == "True") return condition->value("lastTransitionTime", "");
  }
  return "";
}

std::string FailureReason(const json& job) {
  const json* failed = FindCondition(job, "Failed");
  if (!failed || failed->value("status", "") != "True") return "";
  std::string reason = failed->value("message", "");
  return reason.empty() ? failed->value("reason", "") : reason;
}

}  // namespace

std::optional<double> MetricFromText(std::string_view text, std::string_view metric) {
  std::optional<double> found;
  const std::string key = std::string(metric) + "=";
  for (size_t at = text.find(key); at != std::string_view::npos; at = text.find(key, at + 1)) {
    if (at > 0 && IsNameChar(text[at - 1])) continue;
    const std::string rest(text.substr(at + key.size(), 64));
    char* end = nullptr;
    const double value = std::strtod(rest.c_str(), &end);
    if (end == rest.c_str()) continue;
    found = value;
  }
  return found;
}

std::optional<SweepObjective> ReadSweepObjective(const json& jobs) {
  for (const json& job : ItemsOf(jobs)) {
    const std::string metric = AnnotationOf(job, kSweepMetricAnnotation);
    if (metric.empty()) continue;
    return SweepObjective{metric, AnnotationOf(job, kSweepModeAnnotation) == "max"};
  }
  return std::nullopt;
}

std::vector<TrialRow> ReadTrialRows(const json& jobs, const json& pods, const SweepObjective& objective,
                                    std::chrono::system_clock::time_point now) {
  std::vector<TrialRow> rows;
  for (const json& job : ItemsOf(jobs)) {
    TrialRow row;
    row.index = std::atoi(LabelOf(job, kTrialLabel).c_str());
    row.name = NameOf(job);
    row.params = ParamsOf(job);
    row.state = SummarizeWorkload(job, json::array()).state;
    row.ended = row.state == "Completed" || row.state == "Failed";
    row.reason = FailureReason(job);
    std::string start = StringAt(job, {"status", "startTime"});
    if (start.empty()) start = StringAt(job, {"metadata", "creationTimestamp"});
    const std::string end = EndTime(job);
    const std::optional<TimePoint> started = ParseRfc3339(start);
    const std::optional<TimePoint> ended = row.ended ? ParseRfc3339(end) : std::optional<TimePoint>(now);
    if (started && ended && row.state != "Suspended") {
      row.duration =
          std::max(std::chrono::seconds(0), std::chrono::duration_cast<std::chrono::seconds>(*ended - *started));
    }
    // Index 0's pod first: the rank that logs and reports in torchrun scripts.
    std::vector<const json*> trial_pods;
    for (const json& pod : ItemsOf(pods)) {
      if (LabelOf(pod, kTrialLabel) == std::to_string(row.index) &&
          LabelOf(pod, kSweepLabel) == LabelOf(job, kSweepLabel)) {
        trial_pods.push_back(&pod);
      }
    }
    std::stable_sort(trial_pods.begin(), trial_pods.end(), [](const json* a, const json* b) {
      return (AnnotationOf(*a, kCompletionIndexAnnotation) == "0") >
             (AnnotationOf(*b, kCompletionIndexAnnotation) == "0");
    });
    for (const json* pod : trial_pods) {
      if ((row.metric = MetricFromText(TerminationMessage(*pod), objective.metric))) break;
    }
    if (!trial_pods.empty()) row.metric_pod = NameOf(*trial_pods.front());
    rows.push_back(std::move(row));
  }
  return rows;
}

void RankTrials(std::vector<TrialRow>& rows, const SweepObjective& objective) {
  std::stable_sort(rows.begin(), rows.end(), [&](const TrialRow& a, const TrialRow& b) {
    const bool a_scored = a.ended && a.metric, b_scored = b.ended && b.metric;
    if (a_scored != b_scored) return a_scored;
    if (a_scored && *a.metric != *b.metric) return objective.maximize ? *a.metric > *b.metric : *a.metric < *b.metric;
    return a.index < b.index;
  });
}

Table TrialTable(const std::vector<TrialRow>& rows, const SweepObjective& objective) {
  std::vector<TableColumn> columns = {{"TRIAL"}, {"NAME"}, {"STATUS"}, {Upper(objective.metric)}, {"DURATION"}};
  std::vector<std::string> param_names;
  for (const TrialRow& row : rows) {
    for (const auto& [name, value] : row.params) {
      if (std::find(param_names.begin(), param_names.end(), name) == param_names.end()) param_names.push_back(name);
    }
  }
  for (const std::string& name : param_names) columns.push_back({Upper(name)});
  Table table(std::move(columns));
  for (const TrialRow& row : rows) {
    std::vector<std::string> cells = {std::to_string(row.index), row.name, row.state,
                                      row.metric ? fmt::format("{:.6g}", *row.metric) : "<none>",
                                      row.duration ? HumanDuration(*row.duration) : "<none>"};
    for (const std::string& name : param_names) {
      auto it = std::find_if(row.params.begin(), row.params.end(), [&](const auto& p) { return p.first == name; });
      cells.push_back(it == row.params.end() ? "<none>" : it->second);
    }
    table.AddRow(std::move(cells));
  }
  return table;
}

nlohmann::ordered_json SweepStatusJson(const std::string& sweep, const std::vector<TrialRow>& rows,
                                       const SweepObjective& objective) {
  nlohmann::ordered_json trials = nlohmann::ordered_json::array();
  for (const TrialRow& row : rows) {
    nlohmann::ordered_json params = nlohmann::ordered_json::object();
    for (const auto& [name, value] : row.params) params[name] = value;
    trials.push_back({{"trial", row.index},
                      {"name", row.name},
                      {"params", params},
                      {"state", row.state},
                      {"metric", row.metric ? nlohmann::ordered_json(*row.metric) : nullptr},
                      {"durationSeconds", row.duration ? nlohmann::ordered_json(row.duration->count()) : nullptr},
                      {"reason", row.reason}});
  }
  return {{"apiVersion", "kubectl-llm.dev/v1"},
          {"kind", "SweepStatus"},
          {"name", sweep},
          {"metric", objective.metric},
          {"mode", objective.maximize ? "max" : "min"},
          {"trials", trials}};
}

}  // namespace llm

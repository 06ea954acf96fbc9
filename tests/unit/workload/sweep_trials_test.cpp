// A sweep's trials read back from their jobs and pods: state, duration,
// parameters, the metric from termination messages, best first.
#include "workload/sweep_trials.h"

#include <doctest/doctest.h>

#include "util/rfc3339.h"

namespace llm {
namespace {

using nlohmann::json;

json TrialJob(int index, const std::string& params, json status) {
  return {{"apiVersion", "batch/v1"},
          {"kind", "Job"},
          {"metadata",
           {{"name", "lr-" + std::to_string(index)},
            {"creationTimestamp", "2026-12-01T10:00:00Z"},
            {"labels", {{"kubectl-llm.dev/sweep", "lr"}, {"kubectl-llm.dev/trial", std::to_string(index)}}},
            {"annotations",
             {{"kubectl-llm.dev/trial-params", params},
              {"kubectl-llm.dev/sweep-metric", "val_loss"},
              {"kubectl-llm.dev/sweep-mode", "min"}}}}},
          {"spec", {{"parallelism", 1}, {"completions", 1}}},
          {"status", std::move(status)}};
}

json Completed(const std::string& end) {
  return {{"startTime", "2026-12-01T10:00:05Z"},
          {"completionTime", end},
          {"succeeded", 1},
          {"conditions", json::array({{{"type", "Complete"}, {"status", "True"}, {"lastTransitionTime", end}}})}};
}

json TrialPod(int index, const std::string& completion_index, const std::string& message) {
  return {
      {"metadata",
       {{"name", "lr-" + std::to_string(index) + "-" + completion_index + "-abcde"},
        {"labels", {{"kubectl-llm.dev/sweep", "lr"}, {"kubectl-llm.dev/trial", std::to_string(index)}}},
        {"annotations", {{"batch.kubernetes.io/job-completion-index", completion_index}}}}},
      {"status",
       {{"containerStatuses",
         json::array({{{"name", "trainer"}, {"state", {{"terminated", {{"exitCode", 0}, {"message", message}}}}}}})}}}};
}

const TimePoint kNow = *ParseRfc3339("2026-12-01T10:10:00Z");

TEST_CASE("metric lines: the last value of the name, not of a longer name") {
  CHECK(MetricFromText("val_loss=0.5\nval_loss=0.31\n", "val_loss") == doctest::Approx(0.31));
  CHECK(MetricFromText("epoch 3: val_loss=1e-3 acc=0.9", "val_loss") == doctest::Approx(1e-3));
  CHECK_FALSE(MetricFromText("avg_val_loss=0.2", "val_loss").has_value());
  CHECK_FALSE(MetricFromText("val_loss=nan-ish text", "loss").has_value());
  CHECK_FALSE(MetricFromText("val_loss=", "val_loss").has_value());
  CHECK(MetricFromText("val_loss=0.4 avg_val_loss=0.1", "val_loss") == doctest::Approx(0.4));
}

TEST_CASE("trial rows: state, duration, parameters in their order, index 0's message") {
  const json jobs =
      json::array({TrialJob(1, R"({"lr":"0.1","wd":"1e-05"})", Completed("2026-12-01T10:02:05Z")),
                   TrialJob(2, R"({"lr":"0.01","wd":"2e-05"})",
                            {{"startTime", "2026-12-01T10:00:05Z"},
                             {"failed", 1},
                             {"conditions", json::array({{{"type", "Failed"},
                                                          {"status", "True"},
                                                          {"reason", "BackoffLimitExceeded"},
                                                          {"message", "Job has reached the specified backoff limit"},
                                                          {"lastTransitionTime", "2026-12-01T10:01:00Z"}}})}}),
                   TrialJob(3, R"({"lr":"0.001","wd":"3e-05"})",
                            {{"startTime", "2026-12-01T10:05:00Z"}, {"active", 1}, {"ready", 1}})});
  const json pods = json::array({TrialPod(1, "1", "val_loss=9"), TrialPod(1, "0", "epoch 9 val_loss=0.25")});
  const SweepObjective objective{"val_loss", false};
  std::vector<TrialRow> rows = ReadTrialRows(jobs, pods, objective, kNow);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].index == 1);
  CHECK(rows[0].state == "Completed");
  CHECK(rows[0].ended);
  CHECK(rows[0].metric == doctest::Approx(0.25));
  CHECK(rows[0].duration == std::chrono::seconds(120));
  CHECK(rows[0].params == TrialParams{{"lr", "0.1"}, {"wd", "1e-05"}});
  CHECK(rows[0].metric_pod == "lr-1-0-abcde");
  CHECK(rows[1].state == "Failed");
  CHECK(rows[1].reason == "Job has reached the specified backoff limit");
  CHECK(rows[1].duration == std::chrono::seconds(55));
  CHECK_FALSE(rows[1].metric.has_value());
  CHECK(rows[1].metric_pod.empty());
  CHECK(rows[2].state == "Running");
  CHECK_FALSE(rows[2].ended);
  CHECK(rows[2].duration == std::chrono::seconds(300));

  REQUIRE(ReadSweepObjective(jobs).has_value());
  CHECK(ReadSweepObjective(jobs)->metric == "val_loss");
  CHECK_FALSE(ReadSweepObjective(json::array()).has_value());
}

TEST_CASE("trials rank best first by the objective, then the rest by number") {
  std::vector<TrialRow> rows(4);
  for (int i = 0; i < 4; ++i) {
    rows[i].index = i + 1;
    rows[i].name = "lr-" + std::to_string(i + 1);
    rows[i].ended = true;
    rows[i].state = "Completed";
  }
  rows[0].metric = 0.5;
  rows[1].metric = 0.2;
  rows[2].ended = false;
  rows[2].state = "Running";
  rows[3].metric = 0.9;
  std::vector<TrialRow> low = rows;
  RankTrials(low, {"val_loss", false});
  CHECK(std::vector<int>{low[0].index, low[1].index, low[2].index, low[3].index} == std::vector<int>{2, 1, 4, 3});
  std::vector<TrialRow> high = rows;
  RankTrials(high, {"acc", true});
  CHECK(std::vector<int>{high[0].index, high[1].index, high[2].index, high[3].index} == std::vector<int>{4, 1, 2, 3});
}

TEST_CASE("sweep status table and JSON") {
  TrialRow done;
  done.index = 2;
  done.name = "lr-2";
  done.params = {{"lr", "0.01"}, {"wd", "2e-05"}};
  done.state = "Completed";
  done.ended = true;
  done.metric = 0.3125;
  done.duration = std::chrono::seconds(125);
  TrialRow queued;
  queued.index = 3;
  queued.name = "lr-3";
  queued.params = {{"lr", "0.001"}, {"wd", "3e-05"}};
  queued.state = "Suspended";
  const SweepObjective objective{"val_loss", false};
  CHECK(TrialTable({done, queued}, objective).Render(false) ==
        "TRIAL   NAME   STATUS      VAL_LOSS   DURATION   LR      WD\n"
        "2       lr-2   Completed   0.3125     2m5s       0.01    2e-05\n"
        "3       lr-3   Suspended   <none>     <none>     0.001   3e-05\n");
  const auto document = SweepStatusJson("lr", {done, queued}, objective);
  CHECK(document.dump() ==
        R"({"apiVersion":"kubectl-llm.dev/v1","kind":"SweepStatus","name":"lr","metric":"val_loss","mode":"min",)"
        R"("trials":[{"trial":2,"name":"lr-2","params":{"lr":"0.01","wd":"2e-05"},"state":"Completed",)"
        R"("metric":0.3125,"durationSeconds":125,"reason":""},{"trial":3,"name":"lr-3","params":{"lr":"0.001",)"
        R"("wd":"3e-05"},"state":"Suspended","metric":null,"durationSeconds":null,"reason":""}]})");
}

}  // namespace
}  // namespace llm

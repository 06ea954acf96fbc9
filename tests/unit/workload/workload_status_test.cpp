#include "workload/workload_status.h"

#include <doctest/doctest.h>

#include "unit/workload/fixture.h"

namespace llm {
namespace {

using namespace std::chrono_literals;

const auto kNow = std::chrono::sys_days{std::chrono::November / 28 / 2026} + 12h;

std::vector<WorkloadStatus> Rows() {
  const nlohmann::json workloads = testing::LoadWorkloadFixture("workloads.json");
  const nlohmann::json services = testing::LoadWorkloadFixture("services.json");
  std::vector<WorkloadStatus> rows;
  for (const auto& object : workloads["items"]) rows.push_back(SummarizeWorkload(object, services));
  return rows;
}

TEST_CASE("each kind's ready/desired, GPUs, state and endpoint") {
  std::vector<WorkloadStatus> rows = Rows();
  REQUIRE(rows.size() == 4);
  struct Want {
    const char* name;
    const char* kind;
    int64_t ready, desired;
    const char* unit;
    int64_t gpus;
    const char* state;
  };
  const Want want[] = {
      {"chat-small", "Deployment", 2, 2, "pods", 2, "Available"},
      {"chat", "LeaderWorkerSet", 1, 2, "groups", 32, "Progressing"},  // 2 groups x (leader 8 + 1 worker x 8)
      {"train", "JobSet", 1, 1, "jobs", 32, "Running"},                // 1 job x parallelism 4 x 8
      {"finetune", "Job", 0, 2, "pods", 16, "Completed"},
  };
  for (size_t i = 0; i < rows.size(); ++i) {
    CAPTURE(want[i].name);
    CHECK(rows[i].name == want[i].name);
    CHECK(rows[i].kind == want[i].kind);
    CHECK(rows[i].ready == want[i].ready);
    CHECK(rows[i].desired == want[i].desired);
    CHECK(rows[i].unit == want[i].unit);
    CHECK(rows[i].gpus == want[i].gpus);
    CHECK(rows[i].state == want[i].state);
  }
  REQUIRE(rows[1].endpoint.has_value());
  CHECK(rows[1].endpoint->host == "chat.default.svc");
  CHECK(rows[1].endpoint->port == 8000);      // the "http" port, not metrics
  CHECK_FALSE(rows[2].endpoint.has_value());  // the headless rendezvous Service is no endpoint
}

TEST_CASE("a StatefulSet (a --templates set may render one) counts pods and is Available when all are updated") {
  nlohmann::json sts = nlohmann::json::parse(R"({
    "apiVersion": "apps/v1", "kind": "StatefulSet",
    "metadata": {"name": "db", "namespace": "ml", "labels": {"app.kubernetes.io/instance": "db"}},
    "spec": {"replicas": 3, "template": {"spec": {"containers": [
      {"name": "e", "resources": {"limits": {"nvidia.com/gpu": "2"}}}]}}},
    "status": {"readyReplicas": 3, "updatedReplicas": 2}})");
  WorkloadStatus status = SummarizeWorkload(sts, nlohmann::json::array());
  CHECK(status.kind == "StatefulSet");
  CHECK(status.unit == "pods");
  CHECK(status.ready == 3);
  CHECK(status.desired == 3);
  CHECK(status.gpus == 6);
  CHECK(status.state == "Progressing");  // one pod still runs the old revision
  sts["status"]["updatedReplicas"] = 3;
  CHECK(SummarizeWorkload(sts, nlohmann::json::array()).state == "Available");
}

TEST_CASE("states follow conditions") {
  nlohmann::json workloads = testing::LoadWorkloadFixture("workloads.json");
  nlohmann::json deployment = workloads["items"][0];
  deployment["spec"]["replicas"] = 0;
  CHECK(SummarizeWorkload(deployment, nlohmann::json::array()).state == "ScaledToZero");
  deployment = testing::LoadWorkloadFixture("stall/progress-deadline.json")["controller"];
  CHECK(SummarizeWorkload(deployment, nlohmann::json::array()).state == "Failed");
  nlohmann::json job = testing::LoadWorkloadFixture("stall/kueue.json")["controller"];
  CHECK(SummarizeWorkload(job, nlohmann::json::array()).state == "Suspended");
  job = testing::LoadWorkloadFixture("stall/job-backoff.json")["controller"];
  CHECK(SummarizeWorkload(job, nlohmann::json::array()).state == "Failed");
}

TEST_CASE("the status table, narrow, wide and across namespaces") {
  std::vector<WorkloadStatus> rows = Rows();
  CHECK(WorkloadStatusTable(rows, kNow, false).Render(false) ==
        "NAME         KIND              ENGINE     READY   STATUS        GPUS   ENDPOINT                      AGE\n"
        "chat-small   Deployment        vllm       2/2     Available     2      chat-small.default.svc:8000   3m\n"
        "chat         LeaderWorkerSet   vllm       1/2     Progressing   32     chat.default.svc:8000         2d3h\n"
        "train        JobSet            torchrun   1/1     Running       32     <none>                        120m\n"
        "finetune     Job               torchrun   0/2     Completed     16     <none>                        10d\n");
  std::string wide = WorkloadStatusTable(rows, kNow, true).Render(true);
  CHECK(wide.starts_with("NAMESPACE   NAME         KIND"));
  CHECK(wide.find("AGE    COMPONENT   MODEL                     AUTOSCALE   TARGETS   SCALED\n") != std::string::npos);
  CHECK(wide.find("2d3h   serve       deepseek-ai/DeepSeek-V3   <none>      <none>    <none>\n") != std::string::npos);

  // An autoscaled row: its bounds, kubectl get hpa's TARGETS, and how long ago it last scaled.
  rows[0].autoscaler = AutoscalerStatus{"keda-hpa-chat-small",  1, 4, 2, 2, {{"s0-prometheus", "3500m", "5"}},
                                        "2026-11-28T11:55:00Z", ""};
  wide = WorkloadStatusTable(rows, kNow, false).Render(true);
  CHECK(wide.find("1-4         s0-prometheus: 3500m/5   5m\n") != std::string::npos);
}

TEST_CASE("WorkloadStatusList is the documented JSON shape") {
  nlohmann::ordered_json doc = WorkloadStatusListJson(Rows());
  CHECK(doc["apiVersion"] == "kubectl-llm.dev/v1alpha1");
  CHECK(doc["kind"] == "WorkloadStatusList");
  REQUIRE(doc["items"].size() == 4);
  CHECK(
      doc["items"][1].dump() ==
      R"({"name":"chat","namespace":"default","kind":"LeaderWorkerSet","apiVersion":"leaderworkerset.x-k8s.io/v1",)"
      R"("engine":"vllm","component":"serve","model":"deepseek-ai/DeepSeek-V3","state":"Progressing","ready":1,)"
      R"("desired":2,"unit":"groups","gpus":32,"creationTimestamp":"2026-11-26T09:00:00Z","endpoint":{"service":"chat",)"
      R"("port":8000,"host":"chat.default.svc","url":"http://chat.default.svc:8000"},"autoscaler":null,)"
      R"("elastic":null})");
  CHECK(doc["items"][3]["endpoint"].is_null());
}

TEST_CASE("an elastic training job adds NODES (now, MIN-MAX) and RESTARTS after STATUS, and \"elastic\" in JSON") {
  std::vector<WorkloadStatus> rows = Rows();
  const std::string plain = WorkloadStatusTable(rows, kNow, false).Render(false);
  CHECK(plain.find("NODES") == std::string::npos);  // no elastic row: the table is as before

  nlohmann::json job = nlohmann::json::parse(R"({
    "apiVersion": "batch/v1", "kind": "Job",
    "metadata": {"name": "pretrain", "namespace": "ml", "creationTimestamp": "2026-11-28T11:00:00Z",
                 "labels": {"app.kubernetes.io/instance": "pretrain", "app.kubernetes.io/name": "torchrun"},
                 "annotations": {"kubectl-llm.dev/elastic-nodes": "2:4"}},
    "spec": {"parallelism": 3, "completions": 3, "template": {"spec": {"containers": [
      {"name": "trainer", "resources": {"limits": {"nvidia.com/gpu": "8"}}}]}}},
    "status": {"ready": 3, "failed": 1}})");
  rows.push_back(SummarizeWorkload(job, nlohmann::json::array()));
  const std::string table = WorkloadStatusTable(rows, kNow, false).Render(false);
  CHECK(table.starts_with("NAME         KIND              ENGINE     READY   STATUS        NODES     RESTARTS   GPUS"));
  CHECK(table.find("pretrain     Job               torchrun   3/3     Running       3 (2-4)   1          24") !=
        std::string::npos);
  CHECK(table.find("Deployment        vllm       2/2     Available     <none>    <none>") != std::string::npos);

  const nlohmann::ordered_json doc = WorkloadStatusListJson(rows);
  CHECK(doc["items"][4]["elastic"].dump() == R"({"nodes":3,"minNodes":2,"maxNodes":4,"restarts":1})");
  CHECK(doc["items"][0]["elastic"].is_null());
}

}  // namespace
}  // namespace llm

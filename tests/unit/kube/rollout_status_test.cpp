#include "kube/rollout_status.h"

#include <doctest/doctest.h>

namespace llm::kube {
namespace {
using nlohmann::json;

json Deployment(int generation, int observed, int replicas, int total, int updated, int available,
                const std::string& progressing_reason = "NewReplicaSetAvailable") {
  return {{"apiVersion", "apps/v1"},
          {"kind", "Deployment"},
          {"metadata", {{"name", "chat"}, {"generation", generation}}},
          {"spec", {{"replicas", replicas}}},
          {"status",
           {{"observedGeneration", observed},
            {"replicas", total},
            {"updatedReplicas", updated},
            {"availableReplicas", available},
            {"conditions", {{{"type", "Progressing"}, {"status", "True"}, {"reason", progressing_reason}}}}}}};
}

struct Row {
  const char* name;
  json object;
  WaitState state;
  std::string message;
};

void CheckRows(const std::vector<Row>& rows) {
  for (const Row& row : rows) {
    CAPTURE(row.name);
    WaitCheck check = RolloutStatus(row.object);
    CHECK(check.state == row.state);
    CHECK(check.message == row.message);
  }
}

TEST_CASE("Deployment rollout, as kubectl rollout status decides it") {
  CheckRows({
      {"spec not observed", Deployment(2, 1, 3, 3, 3, 3), WaitState::kPending,
       "Waiting for deployment spec update to be observed..."},
      {"updating", Deployment(2, 2, 3, 4, 1, 3), WaitState::kPending,
       R"(Waiting for deployment "chat" rollout to finish: 1 out of 3 new replicas have been updated...)"},
      {"old pending", Deployment(2, 2, 3, 4, 3, 3), WaitState::kPending,
       R"(Waiting for deployment "chat" rollout to finish: 1 old replicas are pending termination...)"},
      {"unavailable", Deployment(2, 2, 3, 3, 3, 2), WaitState::kPending,
       R"(Waiting for deployment "chat" rollout to finish: 2 of 3 updated replicas are available...)"},
      {"done", Deployment(2, 2, 3, 3, 3, 3), WaitState::kDone, R"(deployment "chat" successfully rolled out)"},
      {"deadline", Deployment(2, 2, 3, 3, 1, 0, "ProgressDeadlineExceeded"), WaitState::kFailed,
       R"(deployment "chat" exceeded its progress deadline)"},
      {"deadline of an old generation does not count", Deployment(3, 2, 3, 3, 1, 0, "ProgressDeadlineExceeded"),
       WaitState::kPending, "Waiting for deployment spec update to be observed..."},
  });
}

json StatefulSet(int generation, int observed, int replicas, int ready, int updated, json strategy,
                 const std::string& current = "r1", const std::string& update = "r1") {
  return {{"apiVersion", "apps/v1"},
          {"kind", "StatefulSet"},
          {"metadata", {{"name", "db"}, {"generation", generation}}},
          {"spec", {{"replicas", replicas}, {"updateStrategy", strategy}}},
          {"status",
           {{"observedGeneration", observed},
            {"readyReplicas", ready},
            {"updatedReplicas", updated},
            {"currentReplicas", replicas},
            {"currentRevision", current},
            {"updateRevision", update}}}};
}

TEST_CASE("StatefulSet rollout: ready replicas, partitions, revisions") {
  const json rolling = {{"type", "RollingUpdate"}, {"rollingUpdate", {{"partition", 1}}}};
  const json plain = {{"type", "RollingUpdate"}};
  CheckRows({
      {"on delete", StatefulSet(1, 1, 3, 3, 3, {{"type", "OnDelete"}}), WaitState::kFailed,
       "rollout status is only available for RollingUpdate strategy type"},
      {"never observed", StatefulSet(1, 0, 3, 3, 3, plain), WaitState::kPending,
       "Waiting for statefulset spec update to be observed..."},
      {"not ready", StatefulSet(1, 1, 3, 1, 3, plain), WaitState::kPending, "Waiting for 2 pods to be ready..."},
      {"partition pending", StatefulSet(1, 1, 3, 3, 1, rolling), WaitState::kPending,
       "Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated..."},
      {"partition done", StatefulSet(1, 1, 3, 3, 2, rolling), WaitState::kDone,
       "partitioned roll out complete: 2 new pods have been updated..."},
      {"revision pending", StatefulSet(1, 1, 3, 3, 2, plain, "r1", "r2"), WaitState::kPending,
       "waiting for statefulset rolling update to complete 2 pods at revision r2..."},
      {"revision done", StatefulSet(1, 1, 3, 3, 3, plain, "r2", "r2"), WaitState::kDone,
       "statefulset rolling update complete 3 pods at revision r2..."},
  });
}

json WithConditions(const std::string& api_version, const std::string& kind, json conditions, int generation = 1) {
  return {{"apiVersion", api_version},
          {"kind", kind},
          {"metadata", {{"name", "run"}, {"generation", generation}}},
          {"spec", {{"replicas", 2}}},
          {"status", {{"conditions", conditions}, {"readyReplicas", 1}}}};
}

TEST_CASE("Job, JobSet and LeaderWorkerSet roll out by their conditions") {
  const json complete = {{{"type", "Complete"}, {"status", "True"}}};
  const json failed = {{{"type", "Failed"},
                        {"status", "True"},
                        {"reason", "BackoffLimitExceeded"},
                        {"message", "Job has reached the specified backoff limit"}}};
  const json completed = {{{"type", "Completed"}, {"status", "True"}}};
  const json available = {{{"type", "Available"}, {"status", "True"}}};
  const json stale_available = {{{"type", "Available"}, {"status", "True"}, {"observedGeneration", 1}}};
  CheckRows({
      {"job running", WithConditions("batch/v1", "Job", json::array()), WaitState::kPending,
       R"(Waiting for job "run" to complete...)"},
      {"job complete", WithConditions("batch/v1", "Job", complete), WaitState::kDone, R"(job "run" completed)"},
      {"job failed", WithConditions("batch/v1", "Job", failed), WaitState::kFailed,
       R"(job "run" failed: BackoffLimitExceeded: Job has reached the specified backoff limit)"},
      {"jobset completed", WithConditions("jobset.x-k8s.io/v1alpha2", "JobSet", completed), WaitState::kDone,
       R"(jobset "run" completed)"},
      {"jobset failed", WithConditions("jobset.x-k8s.io/v1alpha2", "JobSet", failed), WaitState::kFailed,
       R"(jobset "run" failed: BackoffLimitExceeded: Job has reached the specified backoff limit)"},
      {"jobset Complete is not JobSet's word", WithConditions("jobset.x-k8s.io/v1alpha2", "JobSet", complete),
       WaitState::kPending, R"(Waiting for jobset "run" to complete...)"},
      {"lws available", WithConditions("leaderworkerset.x-k8s.io/v1", "LeaderWorkerSet", available), WaitState::kDone,
       R"(leaderworkerset "run" successfully rolled out)"},
      {"lws stale", WithConditions("leaderworkerset.x-k8s.io/v1", "LeaderWorkerSet", stale_available, 2),
       WaitState::kPending, R"(Waiting for leaderworkerset "run" rollout to finish: 1 of 2 groups are ready...)"},
      {"unknown kind", WithConditions("v1", "ConfigMap", json::array()), WaitState::kFailed,
       "no rollout status for ConfigMap: supported are Deployment, StatefulSet, DaemonSet, Job, JobSet and "
       "LeaderWorkerSet"},
  });
  CHECK(RolledOut()(nullptr).state == WaitState::kPending);
}

TEST_CASE("DaemonSet rollout") {
  json ds = {{"apiVersion", "apps/v1"},
             {"kind", "DaemonSet"},
             {"metadata", {{"name", "gpu-check"}, {"generation", 1}}},
             {"status",
              {{"observedGeneration", 1},
               {"desiredNumberScheduled", 4},
               {"updatedNumberScheduled", 4},
               {"numberAvailable", 3}}}};
  CHECK(RolloutStatus(ds).message ==
        R"(Waiting for daemon set "gpu-check" rollout to finish: 3 of 4 updated pods are available...)");
  ds["status"]["numberAvailable"] = 4;
  CHECK(RolloutStatus(ds).state == WaitState::kDone);
}

}  // namespace
}  // namespace llm::kube

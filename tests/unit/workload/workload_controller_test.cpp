#include "workload/workload_controller.h"

#include <doctest/doctest.h>

#include "util/rfc3339.h"

namespace llm {
namespace {

using nlohmann::json;

const auto kNow = *ParseRfc3339("2026-12-05T05:00:00Z");

const WorkloadController& JobSet() {
  const WorkloadController* c = ControllerOf("jobset.x-k8s.io", "jobsets");
  REQUIRE(c != nullptr);
  return *c;
}

json Lease(const std::string& renewed) {
  return {{"apiVersion", "coordination.k8s.io/v1"},
          {"kind", "Lease"},
          {"metadata", {{"name", "6d4f6a47.jobset.x-k8s.io"}, {"namespace", "jobset-system"}}},
          {"spec", {{"holderIdentity", "host_5f1c"}, {"leaseDurationSeconds", 15}, {"renewTime", renewed}}}};
}

json Deployment(int ready) {
  json status = json::object();
  if (ready > 0) status["readyReplicas"] = ready;
  return {{"apiVersion", "apps/v1"},
          {"kind", "Deployment"},
          {"metadata", {{"name", "jobset-controller-manager"}, {"namespace", "jobset-system"}}},
          {"spec", {{"replicas", 1}}},
          {"status", status}};
}

TEST_CASE("ControllerOf: JobSet and LeaderWorkerSet by resource, built-in kinds have none") {
  CHECK(JobSet().kind == "JobSet");
  CHECK(JobSet().ns == "jobset-system");
  const WorkloadController* lws = ControllerOf("leaderworkerset.x-k8s.io", "leaderworkersets");
  REQUIRE(lws != nullptr);
  CHECK(lws->deployment == "lws-controller-manager");
  CHECK(ControllerOf("apps", "deployments") == nullptr);
  CHECK(ControllerOf("batch", "jobs") == nullptr);
}

TEST_CASE("JudgeController: a Lease renewed within its duration, or a ready pod, means it runs") {
  ControllerEvidence lease_only;
  lease_only.lease = Lease("2026-12-05T04:59:57.250000Z");
  ControllerLiveness running = JudgeController(JobSet(), lease_only, kNow);
  CHECK(running.state == ControllerState::kRunning);
  CHECK(running.detail ==
        "its leader election Lease jobset-system/6d4f6a47.jobset.x-k8s.io was renewed 2s ago by host_5f1c");

  ControllerEvidence deployment_only;
  deployment_only.deployment = Deployment(1);
  deployment_only.lease_error = "leases.coordination.k8s.io is forbidden";
  running = JudgeController(JobSet(), deployment_only, kNow);
  CHECK(running.state == ControllerState::kRunning);
  CHECK(running.detail == "Deployment jobset-system/jobset-controller-manager has 1 of 1 pods ready");
}

TEST_CASE("JudgeController: nothing installed, a stale Lease, or no ready pod: not running, and where to look") {
  ControllerEvidence nothing;
  ControllerLiveness judged = JudgeController(JobSet(), nothing, kNow);
  CHECK(judged.state == ControllerState::kNotRunning);
  CHECK(judged.detail ==
        "there is no Deployment jobset-system/jobset-controller-manager, and there is no leader election Lease "
        "jobset-system/6d4f6a47.jobset.x-k8s.io (kubectl get deployment,pods -n jobset-system)");

  ControllerEvidence stale;
  stale.lease = Lease("2026-12-05T04:55:00Z");
  stale.deployment = Deployment(0);
  judged = JudgeController(JobSet(), stale, kNow);
  CHECK(judged.state == ControllerState::kNotRunning);
  CHECK(judged.detail ==
        "Deployment jobset-system/jobset-controller-manager has 0 of 1 pods ready, and its leader election Lease "
        "jobset-system/6d4f6a47.jobset.x-k8s.io was last renewed 5m ago by host_5f1c "
        "(kubectl get deployment,pods -n jobset-system)");
  CHECK(StateWords(judged.state) == "is not running");
}

TEST_CASE("JudgeController: what cannot be read makes it unknown, and says what was not read") {
  ControllerEvidence forbidden;
  forbidden.deployment_error = "deployments.apps \"jobset-controller-manager\" is forbidden";
  forbidden.lease_error = "leases.coordination.k8s.io \"6d4f6a47.jobset.x-k8s.io\" is forbidden";
  ControllerLiveness judged = JudgeController(JobSet(), forbidden, kNow);
  CHECK(judged.state == ControllerState::kUnknown);
  CHECK(judged.detail ==
        "cannot read Deployment jobset-system/jobset-controller-manager (deployments.apps "
        "\"jobset-controller-manager\" is forbidden) or its leader election Lease "
        "jobset-system/6d4f6a47.jobset.x-k8s.io (leases.coordination.k8s.io \"6d4f6a47.jobset.x-k8s.io\" is "
        "forbidden); whoever may read namespace jobset-system can look (kubectl get deployment,pods -n jobset-system)");

  // A Deployment read and absent does not tell while the Lease could not be read.
  ControllerEvidence half;
  half.lease_error = "forbidden";
  judged = JudgeController(JobSet(), half, kNow);
  CHECK(judged.state == ControllerState::kUnknown);
  CHECK(judged.detail ==
        "cannot read its leader election Lease jobset-system/6d4f6a47.jobset.x-k8s.io (forbidden); there is no "
        "Deployment jobset-system/jobset-controller-manager; whoever may read namespace jobset-system can look "
        "(kubectl get deployment,pods -n jobset-system)");
  CHECK(StateWords(judged.state) == "may or may not run");
}

TEST_CASE("NotReconciled: no status and no pods, a status or a pod shows a controller acted") {
  const json no_status = {{"kind", "JobSet"}, {"metadata", {{"name", "js"}}}};
  const json empty_status = {{"kind", "JobSet"}, {"status", json::object()}};
  const json with_status = {{"kind", "JobSet"}, {"status", {{"replicatedJobsStatus", json::array()}}}};
  const json no_pods = {{"items", json::array()}};
  const json one_pod = {{"items", json::array({{{"metadata", {{"name", "js-w-0-0"}}}}})}};
  CHECK(NotReconciled(no_status, no_pods));
  CHECK(NotReconciled(empty_status, no_pods));
  CHECK_FALSE(NotReconciled(with_status, no_pods));
  CHECK_FALSE(NotReconciled(no_status, one_pod));
}

}  // namespace
}  // namespace llm

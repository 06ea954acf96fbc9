#include "tenant/tenant_status.h"

#include <doctest/doctest.h>

#include "tenant/tenant_verify.h"

namespace llm::tenant {
namespace {

using nlohmann::json;

const json kNamespace = json::parse(R"({"metadata": {"name": "ml", "creationTimestamp": "2026-01-01T00:00:00Z",
  "labels": {"kubectl-llm.dev/tenant": "ml", "pod-security.kubernetes.io/enforce": "restricted"},
  "annotations": {"kubectl-llm.dev/local-queue": "ml", "kubectl-llm.dev/priority-class": "kubectl-llm-training"}},
  "status": {"phase": "Active"}})");
const json kQuota = json::parse(R"({"status": {
  "hard": {"requests.nvidia.com/gpu": "16", "requests.cpu": "64"},
  "used": {"requests.nvidia.com/gpu": "8", "requests.cpu": "2500m"}}})");
const json kPods = json::parse(R"({"items": [{"status": {"phase": "Running"}}, {"status": {"phase": "Pending"}},
  {"status": {"phase": "Succeeded"}}]})");
const json kBinding = json::parse(R"({"subjects": [{"kind": "User", "name": "alice"},
  {"kind": "ServiceAccount", "name": "ci", "namespace": "build"}]})");
const json kLocalQueue = json::parse(R"({"metadata": {"name": "ml"}, "spec": {"clusterQueue": "ml"},
  "status": {"pendingWorkloads": 1, "admittedWorkloads": 2}})");
const json kClusterQueue = json::parse(R"({"metadata": {"name": "ml"},
  "spec": {"resourceGroups": [{"flavors": [{"name": "cpu", "resources": [{"name": "cpu", "nominalQuota": "64"}]}]},
                              {"flavors": [{"name": "gpu", "resources": [{"name": "nvidia.com/gpu", "nominalQuota": 8}]}]}]},
  "status": {"flavorsUsage": [{"name": "gpu", "resources": [{"name": "nvidia.com/gpu", "total": "16", "borrowed": "8"}]}]}})");

TEST_CASE("a tenant's status: quota use from the ResourceQuota, Kueue's view from its queues") {
  TenantStatus s = SummarizeTenant(kNamespace, &kQuota, kPods, 2, &kBinding, &kLocalQueue, &kClusterQueue);
  CHECK(s.gpus_used == 8);
  CHECK(s.gpus_quota == 16);
  CHECK(s.pods == 2);
  REQUIRE(s.queue);
  CHECK(s.queue->pending == 1);
  CHECK(s.queue->admitted == 2);
  CHECK(s.queue->nominal_gpus == 8);
  CHECK(s.queue->borrowed_gpus == 8);
  CHECK(s.members == std::vector<std::string>{"User/alice", "ServiceAccount/build/ci"});
  CHECK(TenantStatusJson(s).dump() == nlohmann::ordered_json::parse(R"({
    "apiVersion": "kubectl-llm.dev/v1alpha1", "kind": "TenantStatus", "name": "ml", "namespace": "ml",
    "phase": "Active", "created": "2026-01-01T00:00:00Z", "gpus": {"used": 8, "quota": 16},
    "quota": [{"resource": "requests.cpu", "used": "2500m", "hard": "64"},
              {"resource": "requests.nvidia.com/gpu", "used": "8", "hard": "16"}],
    "pods": 2, "workloads": 2,
    "queue": {"localQueue": "ml", "clusterQueue": "ml", "pending": 1, "admitted": 2, "nominalGpus": 8, "borrowedGpus": 8},
    "podSecurity": "restricted", "priorityClass": "kubectl-llm-training",
    "members": ["User/alice", "ServiceAccount/build/ci"]})")
                                          .dump());
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1767225600 + 3600));
  CHECK(TenantTable({s}, now).Render(false) ==
        "NAME   GPUS   PODS   WORKLOADS   PENDING   ADMITTED   BORROWED   AGE\n"
        "ml     8/16   2      2           1         2          8          60m\n");
}

TEST_CASE("a tenant without a quota status or Kueue shows dashes and nulls") {
  TenantStatus s = SummarizeTenant(kNamespace, nullptr, json::array(), 0, nullptr, nullptr, nullptr);
  CHECK_FALSE(s.gpus_quota);
  CHECK_FALSE(s.queue);
  auto doc = TenantStatusJson(s);
  CHECK(doc["gpus"]["used"].is_null());
  CHECK(doc["queue"].is_null());
  CHECK(TenantStatusListJson({s})["items"][0].contains("kind") == false);
}

TEST_CASE("verify's probes: restricted pods whose GPUs only the quota can refuse") {
  CHECK(SplitGpus(17, 8) == std::vector<int64_t>{8, 8, 1});
  CHECK(SplitGpus(17, std::nullopt) == std::vector<int64_t>{17});
  json pod = ProbePod("ml", "probe", {8, 1});
  CHECK(pod["metadata"]["namespace"] == "ml");
  REQUIRE(pod["spec"]["containers"].size() == 2);
  CHECK(pod["spec"]["containers"][0]["resources"]["limits"]["nvidia.com/gpu"] == "8");
  CHECK(pod["spec"]["securityContext"]["runAsNonRoot"] == true);
  CHECK(pod["spec"]["containers"][1]["securityContext"]["capabilities"]["drop"] == json{"ALL"});
  CHECK(ProbePod("ml", "p", {0}, true)["spec"]["containers"][0]["securityContext"]["privileged"] == true);
  CHECK(RefusedByQuota("pods \"p\" is forbidden: exceeded quota: kubectl-llm-tenant, requested: ..."));
  CHECK(
      RefusedByLimitRange("pods \"p\" is forbidden: maximum nvidia.com/gpu usage per Container is 8, but limit is 9"));
  CHECK(RefusedByPodSecurity("pods \"p\" is forbidden: violates PodSecurity \"baseline:v1.35\": privileged"));
  CHECK_FALSE(RefusedByQuota("pods \"p\" is forbidden: violates PodSecurity"));
  CHECK(VerifyTable({{"user:a", "may create pods in ml", true, "allowed"}, {"user:a", "x", false, "allowed"}})
            .Render(false) ==
        "SUBJECT   CHECK                   RESULT   DETAIL\n"
        "user:a    may create pods in ml   ok       allowed\n"
        "user:a    x                       HOLE     allowed\n");
}

}  // namespace
}  // namespace llm::tenant

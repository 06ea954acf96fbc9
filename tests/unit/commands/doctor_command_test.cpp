#include "commands/doctor_command.h"

#include <set>
#include <sstream>

#include <doctest/doctest.h>

#include "fakes/discovery_fixtures.h"
#include "fakes/fake_clock.h"
#include "fakes/fake_rest_client.h"
#include "util/rfc3339.h"
#include "util/yaml_document.h"

namespace llm {
namespace {
using nlohmann::json;
using testing::FakeRestClient;

json GpuNode(const std::string& name) {
  return {{"apiVersion", "v1"},
          {"kind", "Node"},
          {"metadata", {{"name", name}, {"labels", {{"nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3"}}}}},
          {"status", {{"allocatable", {{"nvidia.com/gpu", "8"}}}}}};
}

struct Fixture {
  FakeRestClient client;
  testing::FakeClock clock;
  kube::Discovery discovery{client, nullptr, clock, kube::DiscoveryOptions{}};
  kube::RestMapper mapper{discovery};
  std::set<std::string> denied;  ///< "verb resource"
  std::ostringstream out, err;
  std::istringstream in;

  explicit Fixture(int version_status = 200) {
    testing::ServeAggregatedDiscovery(client);
    client.routes.On(
        "GET", "/version",
        testing::FakeTransport::Json(
            version_status, version_status == 200 ? R"({"gitVersion":"v1.35.4"})" : R"({"kind":"Status","code":503})"));
    client.Put({"", "v1", "nodes", "", "gpu-node-0", ""}, GpuNode("gpu-node-0"));
    client.Put({"node.k8s.io", "v1", "runtimeclasses", "", "nvidia", ""}, {{"apiVersion", "node.k8s.io/v1"},
                                                                           {"kind", "RuntimeClass"},
                                                                           {"metadata", {{"name", "nvidia"}}},
                                                                           {"handler", "nvidia"}});
    // The JobSet and LWS controllers run: their leader election Leases were just renewed.
    PutLease("jobset-system", "6d4f6a47.jobset.x-k8s.io", FormatRfc3339(clock.Now()));
    PutLease("lws-system", "b8b2488c.x-k8s.io", FormatRfc3339(clock.Now()));
  }
  void PutLease(const std::string& ns, const std::string& name, const std::string& renewed) {
    client.Put({"coordination.k8s.io", "v1", "leases", ns, name, ""},
               {{"apiVersion", "coordination.k8s.io/v1"},
                {"kind", "Lease"},
                {"metadata", {{"name", name}, {"namespace", ns}}},
                {"spec", {{"holderIdentity", "manager_1"}, {"leaseDurationSeconds", 15}, {"renewTime", renewed}}}});
  }
  std::vector<DoctorCheck> Run() {
    AccessReviewFn can = [this](const kube::AccessQuestion& q) -> Result<bool> {
      std::string resource = q.subresource.empty() ? q.resource : q.resource + "/" + q.subresource;
      return !denied.contains(q.verb + " " + resource);
    };
    DoctorTarget target{client, mapper, can, "ml", "https://k8s:6443", clock.Now()};
    return RunDoctorChecks(target, IoStreams{in, out, err});
  }
};

TEST_CASE("doctor: everything present and allowed is all [ok], exit 0") {
  Fixture f;
  auto checks = f.Run();
  CHECK(DoctorExitCode(checks) == 0);
  const std::string text = f.out.str();
  CHECK(text.starts_with("[ok]   API server https://k8s:6443 reachable, Kubernetes v1.35.4\n"));
  CHECK(text.find("[ok]   1 GPU node, 8 GPUs allocatable (NVIDIA-H100-80GB-HBM3 x1)\n") != std::string::npos);
  CHECK(text.find("[ok]   LeaderWorkerSet (sigs.k8s.io/lws) installed") != std::string::npos);
  CHECK(text.find("[ok]   JobSet controller runs: its leader election Lease jobset-system/6d4f6a47.jobset.x-k8s.io "
                  "was renewed 0s ago by manager_1\n") != std::string::npos);
  CHECK(text.find("[ok]   LeaderWorkerSet controller runs: ") != std::string::npos);
  CHECK(text.find("[ok]   RuntimeClass nvidia present (handler nvidia)") != std::string::npos);
  CHECK(text.find("[ok]   can get, list, create, patch, delete deployments.apps in namespace ml") != std::string::npos);
  CHECK(text.find("[ok]   can get, patch deployments.apps/scale in namespace ml") != std::string::npos);
  CHECK(text.find("[ok]   can list nodes (cluster-wide)") != std::string::npos);
  CHECK(text.find("[warn]") == std::string::npos);
}

TEST_CASE("doctor: a missing namespace permission fails, a missing node permission warns") {
  Fixture f;
  f.denied = {"patch services", "create services", "list nodes"};
  auto checks = f.Run();
  CHECK(DoctorExitCode(checks) == 1);
  const std::string text = f.out.str();
  CHECK(text.find("[fail] cannot create, patch services in namespace ml (needed by serve, train)\n") !=
        std::string::npos);
  CHECK(text.find("[warn] cannot list nodes: serve/train skip the GPU capacity preflight") != std::string::npos);
}

TEST_CASE("doctor: no RuntimeClass and no GPU nodes") {
  Fixture f;
  REQUIRE(f.client.Delete({"node.k8s.io", "v1", "runtimeclasses", "", "nvidia", ""}, {}).ok());
  REQUIRE(f.client.Delete({"", "v1", "nodes", "", "gpu-node-0", ""}, {}).ok());
  auto checks = f.Run();
  CHECK(DoctorExitCode(checks) == 1);
  CHECK(f.out.str().find("[fail] no GPU nodes") != std::string::npos);
  CHECK(f.out.str().find("[warn] RuntimeClass nvidia absent") != std::string::npos);
}

TEST_CASE("doctor: an installed CRD whose controller is not running fails, one it cannot check warns") {
  Fixture f;
  f.PutLease("jobset-system", "6d4f6a47.jobset.x-k8s.io", "2026-01-01T00:00:00Z");  // its holder died long ago
  f.client.FailNext("GET", testing::FakeRestClient::ErrorFromStatus(403, "Forbidden", "deployments.apps is forbidden"),
                    "lws-controller-manager");
  REQUIRE(f.client.Delete({"coordination.k8s.io", "v1", "leases", "lws-system", "b8b2488c.x-k8s.io", ""}, {}).ok());
  auto checks = f.Run();
  CHECK(DoctorExitCode(checks) == 1);
  const std::string text = f.out.str();
  CHECK(text.find("[ok]   JobSet (sigs.k8s.io/jobset) installed") != std::string::npos);
  CHECK(text.find("[fail] JobSet controller is not running: there is no Deployment "
                  "jobset-system/jobset-controller-manager, and its leader election Lease "
                  "jobset-system/6d4f6a47.jobset.x-k8s.io was last renewed ") != std::string::npos);
  INFO(text);
  CHECK(text.find(
            "[warn] LeaderWorkerSet controller may or may not run: cannot read Deployment "
            "lws-system/lws-controller-manager (Error from server (Forbidden): deployments.apps is forbidden); there "
            "is no leader election "
            "Lease lws-system/b8b2488c.x-k8s.io; whoever may read namespace lws-system can look (kubectl get "
            "deployment,pods -n lws-system)\n") != std::string::npos);
}

TEST_CASE("doctor: an unreachable server is the only line") {
  Fixture f(503);
  auto checks = f.Run();
  REQUIRE(checks.size() == 1);
  CHECK(checks[0].level == CheckLevel::kFail);
  CHECK(f.out.str().starts_with("[fail] API server https://k8s:6443 unreachable: "));
}

TEST_CASE("doctor --print-rbac prints the RBAC for -n without contacting a cluster") {
  kube::ConfigFlags flags;
  flags.ns = "ml";
  flags.kubeconfig = "/nonexistent/kubeconfig";  // never read: -n decides
  std::istringstream in;
  std::ostringstream out, err;
  Status printed = PrintPluginRbac(flags, IoStreams{in, out, err});
  REQUIRE_MESSAGE(printed.ok(), (printed.ok() ? "" : printed.error().message()));
  auto docs = ParseYamlDocuments(out.str(), "stdout");
  REQUIRE(docs.ok());
  REQUIRE(docs->size() == 2);
  CHECK((*docs)[0]["metadata"]["namespace"] == "ml");
  CHECK((*docs)[1]["metadata"]["name"] == "kubectl-llm-node-reader");
}

}  // namespace
}  // namespace llm

#include "commands/preflight.h"

#include <algorithm>

#include <doctest/doctest.h>

#include "fakes/discovery_fixtures.h"
#include "fakes/fake_clock.h"
#include "fakes/fake_rest_client.h"
#include "kube/discovery.h"
#include "kube/url_query.h"
#include "unit/workload/fixture.h"

namespace llm {
namespace {
using nlohmann::json;

// Answers access and rules reviews from a list of RBAC-like rules.
class ReviewingClient : public testing::FakeRestClient {
 public:
  json rules = json::array();
  bool incomplete = false;
  Result<json> Create(const kube::ResourceRef& ref, const json& object, bool dry_run) override {
    Result<json> recorded = FakeRestClient::Create(ref, object, dry_run);  // records the call
    (void)recorded;
    json answer = object;
    if (ref.resource == "selfsubjectrulesreviews") {
      answer["status"] = {{"resourceRules", rules}, {"nonResourceRules", json::array()}, {"incomplete", incomplete}};
      return answer;
    }
    const json& wanted = object["spec"]["resourceAttributes"];
    bool allowed = false;
    for (const json& rule : rules) {
      if (rule.contains("resourceNames")) continue;  // a review without a name matches no named rule
      auto has = [&](const char* field, const std::string& value) {
        for (const json& item : rule[field]) {
          if (item == "*" || item == value) return true;
        }
        return false;
      };
      if (has("verbs", wanted["verb"]) && has("apiGroups", wanted["group"]) && has("resources", wanted["resource"])) {
        allowed = true;
      }
    }
    answer["status"] = {{"allowed", allowed}};
    if (!allowed) answer["status"]["reason"] = "no RBAC rule";
    return answer;
  }
};

struct Fixture {
  ReviewingClient client;
  testing::FakeClock clock;
  kube::Discovery discovery{client, nullptr, clock, kube::DiscoveryOptions{}};
  kube::RestMapper mapper{discovery};
  PreflightRequest request;
  /// Without `serve_discovery`, the test serves discovery documents of its own.
  explicit Fixture(bool serve_discovery = true) {
    if (serve_discovery) testing::ServeAggregatedDiscovery(client);
    request.ns = "ml";
    request.instance = "chat";
    request.objects = {
        {{"apiVersion", "v1"}, {"kind", "Service"}, {"metadata", {{"name", "chat"}}}},
        {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"metadata", {{"name", "chat"}}}},
    };
  }
  size_t Count(const std::string& resource) const {
    return static_cast<size_t>(
        std::count_if(client.calls().begin(), client.calls().end(),
                      [&](const std::string& call) { return call.find(resource) != std::string::npos; }));
  }
};

json Rule(std::vector<std::string> verbs, std::vector<std::string> groups, std::vector<std::string> resources) {
  return {{"verbs", verbs}, {"apiGroups", groups}, {"resources", resources}};
}

TEST_CASE("access: one rules review grants what it can, access reviews decide the rest") {
  Fixture f;
  SUBCASE("every need granted by the rules: one request") {
    f.client.rules = json::array({Rule({"*"}, {"*"}, {"*"})});
    auto warnings = RunPreflight(f.client, f.mapper, f.request);
    REQUIRE(warnings.ok());
    CHECK(f.Count("selfsubjectrulesreviews") == 1);
    CHECK(f.Count("selfsubjectaccessreviews") == 0);
  }
  SUBCASE("a need the rules do not grant is asked on its own, and a denial stops everything") {
    f.client.rules = {Rule({"create", "patch"}, {""}, {"secrets", "services"}),
                      Rule({"create"}, {"apps"}, {"deployments"})};
    auto warnings = RunPreflight(f.client, f.mapper, f.request);
    REQUIRE_FALSE(warnings.ok());
    CHECK(warnings.error().kind() == ErrorKind::kForbidden);
    CHECK(warnings.error().message() ==
          R"(preflight: you may not patch deployments.apps in the namespace "ml" (no RBAC rule); nothing was applied)");
    CHECK(f.Count("selfsubjectaccessreviews") == 1);
  }
  SUBCASE("rules limited to names grant nothing, an incomplete list grants nothing") {
    json named = Rule({"*"}, {"*"}, {"*"});
    named["resourceNames"] = {"chat"};
    f.client.rules = json::array({named});
    CHECK_FALSE(RunPreflight(f.client, f.mapper, f.request).ok());
    CHECK(f.Count("selfsubjectaccessreviews") == 6);  // every need is asked; the first denied one is named

    Fixture g;
    g.client.rules = json::array({Rule({"*"}, {"*"}, {"*"})});
    g.client.incomplete = true;
    REQUIRE(RunPreflight(g.client, g.mapper, g.request).ok());
    CHECK(g.Count("selfsubjectaccessreviews") == 6);  // create and patch of secrets, services, deployments
  }
  SUBCASE("a cluster-scoped object is always asked about on its own") {
    f.client.rules = json::array({Rule({"*"}, {"*"}, {"*"})});
    f.request.objects.push_back({{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", "ml"}}}});
    REQUIRE(RunPreflight(f.client, f.mapper, f.request).ok());
    CHECK(f.Count("selfsubjectrulesreviews") == 1);
    CHECK(f.Count("selfsubjectaccessreviews") == 2);
  }
}

json Pod(const std::string& ns, const std::string& instance, const std::string& node, int gpus) {
  json container = {{"name", "c"}};
  if (gpus > 0) container["resources"] = {{"limits", {{"nvidia.com/gpu", gpus}}}};
  return {{"metadata",
           {{"namespace", ns}, {"name", instance + "-pod"}, {"labels", {{"app.kubernetes.io/instance", instance}}}}},
          {"spec", {{"nodeName", node}, {"containers", {container}}}},
          {"status", {{"phase", "Running"}}}};
}

/// An 8-GPU node named `name`.
json GpuNode(const std::string& name) {
  return {{"kind", "Node"}, {"metadata", {{"name", name}}}, {"status", {{"allocatable", {{"nvidia.com/gpu", "8"}}}}}};
}

/// `count` 8-GPU nodes, gpu-0 to gpu-COUNT-1, with everything the preflight may read allowed.
void PutGpuNodes(Fixture& f, int count) {
  f.client.rules = json::array({Rule({"*"}, {"*"}, {"*"})});
  for (int i = 0; i < count; ++i) {
    f.client.Put({"", "v1", "nodes", "", "gpu-" + std::to_string(i), ""}, GpuNode("gpu-" + std::to_string(i)));
  }
}

/// Asks for `replicas` pods of `gpus` GPUs.
void AskFor(Fixture& f, int replicas, int gpus) {
  f.request.objects[1]["spec"] = {
      {"replicas", replicas},
      {"template",
       {{"spec", {{"containers", {{{"name", "c"}, {"resources", {{"limits", {{"nvidia.com/gpu", gpus}}}}}}}}}}}}};
}

/// Answers pod lists from `pods`, by the spec.nodeName=NODE of their field
/// selector (every pod when it has none), as the API server does; records the
/// queries.
void ServePods(Fixture& f, const std::vector<json>& pods, std::vector<std::string>& queries) {
  f.client.routes.OnHandler("GET", "/api/v1/pods", [&pods, &queries](const kube::HttpRequest& r) {
    queries.push_back(r.path);
    const std::string marker = kube::PercentEncode("spec.nodeName=");
    const size_t at = r.path.find(marker);
    std::string node;
    if (at != std::string::npos) {
      node = r.path.substr(at + marker.size());
      node = node.substr(0, node.find(kube::PercentEncode(",")));
    }
    json items = json::array();
    for (const json& pod : pods) {
      if (node.empty() || pod["spec"]["nodeName"] == node) items.push_back(pod);
    }
    return Result<kube::HttpResponse>(testing::FakeTransport::Json(
        200, json{{"kind", "PodList"}, {"metadata", json::object()}, {"items", items}}.dump()));
  });
}

TEST_CASE("GPU fit: the pods of each matching GPU node are read from the watch cache, finished ones filtered there") {
  Fixture f;
  f.client.rules = json::array({Rule({"*"}, {"*"}, {"*"})});
  f.client.Put({"", "v1", "nodes", "", "gpu-0", ""}, GpuNode("gpu-0"));
  f.client.Put({"", "v1", "nodes", "", "cpu-0", ""}, {{"kind", "Node"}, {"metadata", {{"name", "cpu-0"}}}});
  AskFor(f, 1, 4);
  // Someone else's pod with 6 GPUs, a CPU pod, and our own old pod with 8 GPUs, on gpu-0.
  const std::vector<json> pods = {Pod("other", "x", "gpu-0", 6), Pod("other", "cpu", "gpu-0", 0),
                                  Pod("ml", "chat", "gpu-0", 8)};
  std::vector<std::string> queries;
  ServePods(f, pods, queries);
  auto warnings = RunPreflight(f.client, f.mapper, f.request);
  REQUIRE(warnings.ok());
  REQUIRE(warnings->size() == 1);
  CHECK((*warnings)[0].find("6 of 8 GPUs in use") != std::string::npos);  // our own pod does not count
  CHECK((*warnings)[0].find("pods will stay Pending") != std::string::npos);
  // One read, of the one GPU node's pods (not the CPU node's), from the watch cache.
  REQUIRE(queries.size() == 1);
  CHECK(queries[0].find("fieldSelector=" +
                        kube::PercentEncode("spec.nodeName=gpu-0,status.phase!=Succeeded,status.phase!=Failed")) !=
        std::string::npos);
  CHECK(queries[0].find("resourceVersion=0") != std::string::npos);
}

TEST_CASE("GPU fit: the reads stop once the nodes read have room, and a request that never fits reads no pod") {
  Fixture f;
  PutGpuNodes(f, 5);
  // gpu-0 is full; gpu-1 and gpu-2 are free: two pods of 8 fit after reading three nodes.
  const std::vector<json> pods = {Pod("other", "x", "gpu-0", 8)};
  std::vector<std::string> queries;
  ServePods(f, pods, queries);
  AskFor(f, 2, 8);
  auto fits = RunPreflight(f.client, f.mapper, f.request);
  REQUIRE(fits.ok());
  CHECK(fits->empty());
  CHECK(queries.size() == 3);

  queries.clear();
  AskFor(f, 6, 8);  // 6 nodes of 8 GPUs: there are 5
  auto refused = RunPreflight(f.client, f.mapper, f.request);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message().find("only 5 matching nodes have that many") != std::string::npos);
  CHECK(queries.empty());

  queries.clear();
  AskFor(f, 5, 8);  // fits the cluster, not now: every node is read, and the sentence counts every GPU in use
  auto busy = RunPreflight(f.client, f.mapper, f.request);
  REQUIRE(busy.ok());
  REQUIRE(busy->size() == 1);
  CHECK((*busy)[0].find("8 of 40 GPUs in use") != std::string::npos);
  CHECK(queries.size() == 5);
}

TEST_CASE("GPU fit: past 64 matching GPU nodes, one paged list of every bound pod") {
  Fixture f;
  PutGpuNodes(f, 65);
  const std::vector<json> pods = {Pod("other", "x", "gpu-0", 8)};
  std::vector<std::string> queries;
  ServePods(f, pods, queries);
  AskFor(f, 65, 8);
  auto warnings = RunPreflight(f.client, f.mapper, f.request);
  REQUIRE(warnings.ok());
  REQUIRE(warnings->size() == 1);
  CHECK((*warnings)[0].find("8 of 520 GPUs in use") != std::string::npos);
  REQUIRE(queries.size() == 1);
  CHECK(queries[0].find("fieldSelector=" +
                        kube::PercentEncode("spec.nodeName!=,status.phase!=Succeeded,status.phase!=Failed")) !=
        std::string::npos);
  CHECK(queries[0].find("limit=500") != std::string::npos);
}

// The cluster of tests/testdata/workload/autoscale/eks-nodes.json (two 8-GPU
// H100 nodes), asked for `replicas` pods of 8 H100 GPUs; with `karpenter`, the
// server serves karpenter.sh/v1 NodePools (the CRD's discovery entry).
struct AutoscaleFixture : Fixture {
  AutoscaleFixture(bool karpenter, int replicas) : Fixture(/*serve_discovery=*/false) {
    json apis = json::parse(testing::ReadTestdata("discovery/aggregated_apis.json"));
    if (karpenter) {
      json kind = {{"group", "karpenter.sh"}, {"version", "v1"}, {"kind", "NodePool"}};
      apis["items"].push_back(
          {{"metadata", {{"name", "karpenter.sh"}}},
           {"versions",
            {{{"version", "v1"},
              {"freshness", "Current"},
              {"resources",
               {{{"resource", "nodepools"},
                 {"responseKind", kind},
                 {"scope", "Cluster"},
                 {"singularResource", "nodepool"},
                 {"verbs", {"get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"}}}}}}}}});
    }
    client.routes.On(
        "GET", "/api",
        testing::JsonResponse(testing::ReadTestdata("discovery/aggregated_api.json"), testing::kAggregatedContentType));
    client.routes.On("GET", "/apis", testing::JsonResponse(apis.dump(), testing::kAggregatedContentType));
    client.rules = json::array({Rule({"*"}, {"*"}, {"*"})});
    const json nodes = testing::LoadWorkloadFixture("autoscale/eks-nodes.json");
    for (const json& node : nodes["items"]) {
      json stored = node;
      stored["kind"] = "Node";
      client.Put({"", "v1", "nodes", "", node["metadata"]["name"].get<std::string>(), ""}, stored);
    }
    client.routes.On("GET", "/api/v1/pods",
                     testing::FakeTransport::Json(200, R"({"kind":"PodList","metadata":{},"items":[]})"));
    json pod_spec = {{"nodeSelector", {{"nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3"}}},
                     {"tolerations", {{{"key", "nvidia.com/gpu"}, {"operator", "Exists"}, {"effect", "NoSchedule"}}}},
                     {"containers", {{{"name", "vllm"}, {"resources", {{"limits", {{"nvidia.com/gpu", "8"}}}}}}}}};
    request.objects = {{{"apiVersion", "apps/v1"},
                        {"kind", "Deployment"},
                        {"metadata", {{"name", "chat"}}},
                        {"spec", {{"replicas", replicas}, {"template", {{"spec", pod_spec}}}}}}};
  }
  void ServeNodePools() {
    client.routes.On("GET", "/apis/karpenter.sh/v1/nodepools",
                     testing::FakeTransport::Json(200, testing::ReadTestdata("workload/autoscale/nodepools.json")));
  }
  size_t Sent(const std::string& path) const {
    const auto& sent = client.routes.requests();
    return static_cast<size_t>(std::count_if(sent.begin(), sent.end(),
                                             [&](const kube::HttpRequest& r) { return r.path.rfind(path, 0) == 0; }));
  }
};

constexpr char kShort[] = "3 pods of 8 GPUs need 3 nodes with 8 GPUs; only 2 matching nodes have that many";

TEST_CASE(
    "GPU fit beyond today's nodes: a warning where a Karpenter NodePool may add the rest, and the apply goes on") {
  AutoscaleFixture f(/*karpenter=*/true, 3);
  f.ServeNodePools();
  auto warnings = RunPreflight(f.client, f.mapper, f.request);
  REQUIRE_MESSAGE(warnings.ok(), (warnings.ok() ? "" : warnings.error().message()));
  REQUIRE(warnings->size() == 1);
  CHECK((*warnings)[0] == std::string(kShort) +
                              "; Karpenter NodePool \"gpu-h100\" may add nodes for 1 more pod of 8 "
                              "NVIDIA-H100-80GB-HBM3 GPUs; the pods stay Pending until then");
  // One bounded page of NodePools, and nothing more once one may add the rest.
  REQUIRE(f.Sent("/apis/karpenter.sh/v1/nodepools") == 1);
  CHECK(f.Sent("/apis/karpenter.sh/v1/nodepools?limit=100") == 1);
  CHECK(std::none_of(f.client.calls().begin(), f.client.calls().end(),
                     [](const std::string& call) { return call.find("configmaps") != std::string::npos; }));
}

TEST_CASE("GPU fit beyond today's nodes without a node autoscaler: the refusal as before") {
  AutoscaleFixture f(/*karpenter=*/false, 3);
  auto refused = RunPreflight(f.client, f.mapper, f.request);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind() == ErrorKind::kInvalidInput);
  CHECK(refused.error().message() ==
        std::string("preflight: ") + kShort + "; nothing was applied (--skip-preflight applies anyway)");
  CHECK(f.Sent("/apis/karpenter.sh") == 0);  // not served: not asked
  CHECK(std::count_if(f.client.calls().begin(), f.client.calls().end(), [](const std::string& call) {
          return call.find("configmaps") != std::string::npos;
        }) == 1);  // the cluster-autoscaler's status was looked for: NotFound
}

TEST_CASE("GPU fit beyond today's nodes: NodePools the caller may not list leave the refusal, with a note") {
  AutoscaleFixture f(/*karpenter=*/true, 3);
  f.client.routes.On("GET", "/apis/karpenter.sh/v1/nodepools",
                     testing::FakeTransport::Json(403, R"({"kind":"Status","apiVersion":"v1","status":"Failure",
                       "message":"nodepools.karpenter.sh is forbidden: User \"dev\" cannot list resource \"nodepools\" in API group \"karpenter.sh\" at the cluster scope",
                       "reason":"Forbidden","code":403})"));
  f.client.FailNext("GET",
                    testing::FakeRestClient::ErrorFromStatus(403, "Forbidden",
                                                             "configmaps \"cluster-autoscaler-status\" is forbidden"),
                    "cluster-autoscaler-status");
  auto refused = RunPreflight(f.client, f.mapper, f.request);
  REQUIRE_FALSE(refused.ok());
  const std::string& message = refused.error().message();
  CHECK(message.starts_with(std::string("preflight: ") + kShort + "; Karpenter NodePools could not be read ("));
  CHECK(message.find("cannot list resource \"nodepools\"") != std::string::npos);
  CHECK(message.find("; the cluster-autoscaler's status (ConfigMap kube-system/cluster-autoscaler-status) could not be "
                     "read (") != std::string::npos);
  CHECK(message.ends_with("; nothing was applied (--skip-preflight applies anyway)"));
}

TEST_CASE("GPU fit beyond today's nodes: the cluster-autoscaler's status ConfigMap names the node group") {
  AutoscaleFixture f(/*karpenter=*/false, 3);
  json status = testing::LoadWorkloadFixture("autoscale/ca-status-eks.json");
  f.client.Put({"", "v1", "configmaps", "kube-system", "cluster-autoscaler-status", ""}, status);
  auto warnings = RunPreflight(f.client, f.mapper, f.request);
  REQUIRE_MESSAGE(warnings.ok(), (warnings.ok() ? "" : warnings.error().message()));
  REQUIRE(warnings->size() == 1);
  CHECK((*warnings)[0] ==
        std::string(kShort) +
            "; the cluster-autoscaler may add nodes for 1 more pod of 8 NVIDIA-H100-80GB-HBM3 GPUs to "
            "node group \"eks-gpu-h100-2ac6f0b1-9c1e-4a57-8f0a-3d3b1f9e0c11\" (EKS node group "
            "\"gpu-h100\", 2 nodes of at most 4); the pods stay Pending until then");
}

TEST_CASE("GPU fit: a request that fits today reads no autoscaler") {
  AutoscaleFixture f(/*karpenter=*/true, 2);
  f.ServeNodePools();
  auto warnings = RunPreflight(f.client, f.mapper, f.request);
  REQUIRE(warnings.ok());
  CHECK(warnings->empty());
  CHECK(f.Sent("/apis/karpenter.sh") == 0);
  CHECK(std::none_of(f.client.calls().begin(), f.client.calls().end(),
                     [](const std::string& call) { return call.find("configmaps") != std::string::npos; }));
}

TEST_CASE("GPU fit, elastic (train --nodes MIN:MAX): judged for MIN, and the job starts at what fits now") {
  // Two free 8-GPU nodes; the elastic job's pods take 8 GPUs each.
  AutoscaleFixture f(/*karpenter=*/false, 4);
  f.request.elastic = NodeRange{2, 4};
  std::optional<ElasticStart> start;
  auto warnings = RunPreflight(f.client, f.mapper, f.request, &start);
  REQUIRE_MESSAGE(warnings.ok(), (warnings.ok() ? "" : warnings.error().message()));
  CHECK(warnings->empty());  // MIN fits now: no warning about the MAX that does not
  REQUIRE(start.has_value());
  CHECK(start->nodes == 2);
  CHECK(start->fit_now == 2);

  // MAX within what fits: MAX.
  AutoscaleFixture all(/*karpenter=*/false, 2);
  all.request.elastic = NodeRange{1, 2};
  REQUIRE(RunPreflight(all.client, all.mapper, all.request, &start).ok());
  CHECK(start->nodes == 2);

  // MIN can never fit: refused as any request that cannot fit.
  AutoscaleFixture never(/*karpenter=*/false, 4);
  never.request.elastic = NodeRange{3, 4};
  start.reset();
  auto refused = RunPreflight(never.client, never.mapper, never.request, &start);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message() ==
        std::string("preflight: ") + kShort + "; nothing was applied (--skip-preflight applies anyway)");
}

}  // namespace
}  // namespace llm

#include "tenant/tenant_objects.h"

#include <set>

#include <doctest/doctest.h>

namespace llm::tenant {
namespace {

using nlohmann::json;

KueueFacts Kueue(const std::string& version = "v1beta2") {
  KueueFacts facts;
  facts.served = true;
  facts.api_version = "kueue.x-k8s.io/" + version;
  facts.cohort_field = CohortFieldFor(facts.api_version);
  facts.cohort_api_version = facts.api_version;
  return facts;
}

TenantPlan Plan(TenantFlags flags, KueueFacts kueue = Kueue()) {
  TenantPlan plan;
  auto config = BuildTenantConfig(flags);
  REQUIRE(config.ok());
  plan.config = *config;
  plan.kueue = kueue;
  plan.flavors = {GpuFlavor{"gpu-nvidia-h100-80gb-hbm3", "NVIDIA-H100-80GB-HBM3", {}, 0, 0}};
  plan.pod_security_version = "v1.35";
  return plan;
}

TenantFlags Flags() {
  TenantFlags f;
  f.team = "ml";
  f.gpus = 16;
  return f;
}

std::vector<Json> Render(const TenantPlan& plan) {
  auto objects = RenderTenantObjects(plan, *EmbeddedTemplateSource());
  REQUIRE_MESSAGE(objects.ok(), (objects.ok() ? "" : objects.error().message()));
  return *objects;
}

const Json& Find(const std::vector<Json>& objects, const std::string& kind, const std::string& name) {
  for (const Json& object : objects) {
    if (object["kind"] == kind && object["metadata"]["name"] == name) return object;
  }
  FAIL("no " << kind << " " << name);
  static const Json none;
  return none;
}

std::set<std::string> Names(const std::vector<Json>& objects) {
  std::set<std::string> out;
  for (const Json& object : objects)
    out.insert(object["kind"].get<std::string>() + "/" + object["metadata"]["name"].get<std::string>());
  return out;
}

TEST_CASE("a tenant is its namespace, Role, quota, network policies and Kueue queues") {
  std::vector<Json> objects = Render(Plan(Flags()));
  CHECK(Names(objects) == std::set<std::string>{"Namespace/ml", "Role/kubectl-llm-user",
                                                "ResourceQuota/kubectl-llm-tenant", "NetworkPolicy/default-deny",
                                                "NetworkPolicy/allow-dns", "NetworkPolicy/allow-same-namespace",
                                                "NetworkPolicy/allow-monitoring", "ClusterQueue/ml", "LocalQueue/ml"});
  const Json& ns = Find(objects, "Namespace", "ml");
  CHECK(ns["metadata"]["labels"]["kubectl-llm.dev/tenant"] == "ml");
  for (const char* mode : {"enforce", "warn", "audit"}) {
    CHECK(ns["metadata"]["labels"][std::string("pod-security.kubernetes.io/") + mode] == "baseline");
    CHECK(ns["metadata"]["labels"][std::string("pod-security.kubernetes.io/") + mode + "-version"] == "v1.35");
  }
  CHECK(ns["metadata"]["annotations"]["kubectl-llm.dev/local-queue"] == "ml");
  CHECK_FALSE(ns["metadata"]["annotations"].contains("kubectl-llm.dev/priority-class"));
  const Json& quota = Find(objects, "ResourceQuota", "kubectl-llm-tenant");
  CHECK(quota["spec"]["hard"] == Json{{"requests.nvidia.com/gpu", "16"}});
  for (const Json& object : objects) {
    CAPTURE(object["metadata"]["name"]);
    CHECK(object["metadata"]["labels"]["app.kubernetes.io/managed-by"] == "kubectl-llm");
    CHECK(object["metadata"]["labels"]["kubectl-llm.dev/tenant"] == "ml");
  }
}

TEST_CASE("every quota the flags give, and the GPU ceiling with what may be borrowed") {
  TenantFlags f = Flags();
  f.cpu = "64";
  f.memory = "512Gi";
  f.storage = "2Ti";
  f.pods = 40;
  f.borrow_limit = 8;
  std::vector<Json> objects = Render(Plan(f));
  CHECK(Find(objects, "ResourceQuota", "kubectl-llm-tenant")["spec"]["hard"] == Json{{"requests.nvidia.com/gpu", "24"},
                                                                                     {"requests.cpu", "64"},
                                                                                     {"requests.memory", "512Gi"},
                                                                                     {"requests.storage", "2Ti"},
                                                                                     {"pods", "40"}});
  const Json& queue = Find(objects, "ClusterQueue", "ml");
  const Json& groups = queue["spec"]["resourceGroups"];
  CHECK(groups[0]["flavors"][0]["resources"][0] == Json{{"name", "cpu"}, {"nominalQuota", "64"}});
  CHECK(groups[1]["flavors"][0]["resources"][0] ==
        Json{{"name", "nvidia.com/gpu"}, {"nominalQuota", 16}, {"borrowingLimit", 8}});
}

TEST_CASE("the LimitRange is a maximum only: an explicit default of 0, so the API server cannot default it to max") {
  TenantFlags f = Flags();
  std::vector<Json> none = Render(Plan(f));
  CHECK(Names(none).count("LimitRange/kubectl-llm-tenant") == 0);
  f.max_gpus_per_pod = 8;
  const std::vector<Json> objects = Render(Plan(f));
  const Json& limits = Find(objects, "LimitRange", "kubectl-llm-tenant");
  REQUIRE(limits["spec"]["limits"].size() == 1);
  const Json& item = limits["spec"]["limits"][0];
  CHECK(item["type"] == "Container");
  CHECK(item["max"] == Json{{"nvidia.com/gpu", 8}});
  CHECK(item["default"] == Json{{"nvidia.com/gpu", 0}});
  CHECK(item["defaultRequest"] == Json{{"nvidia.com/gpu", 0}});
}

TEST_CASE("network policies: default deny, DNS, the namespace's own pods, --allow-from and monitoring") {
  TenantFlags f = Flags();
  f.allow_from = {"gateway", "web"};
  f.monitoring_namespace = "prometheus";
  std::vector<Json> objects = Render(Plan(f));
  const Json& deny = Find(objects, "NetworkPolicy", "default-deny");
  CHECK(deny["spec"]["podSelector"] == Json::object());
  CHECK(deny["spec"]["policyTypes"] == Json{"Ingress", "Egress"});
  CHECK_FALSE(deny["spec"].contains("ingress"));
  const Json& from = Find(objects, "NetworkPolicy", "allow-from-namespaces");
  CHECK(from["spec"]["ingress"][0]["from"][0]["namespaceSelector"]["matchExpressions"][0]["values"] ==
        Json{"gateway", "web"});
  const Json& monitoring = Find(objects, "NetworkPolicy", "allow-monitoring");
  CHECK(
      monitoring["spec"]["ingress"][0]["from"][0]["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"] ==
      "prometheus");
  CHECK(monitoring["spec"]["ingress"][0]["ports"][0]["port"] == "http");
}

TEST_CASE("members are bound to the least-privilege Role, whose namespace rule names the tenant") {
  TenantFlags f = Flags();
  f.members = {"user:alice", "group:researchers", "serviceaccount:ci/deployer"};
  std::vector<Json> objects = Render(Plan(f));
  const Json& binding = Find(objects, "RoleBinding", "kubectl-llm-tenant");
  CHECK(binding["roleRef"] ==
        Json{{"apiGroup", "rbac.authorization.k8s.io"}, {"kind", "Role"}, {"name", "kubectl-llm-user"}});
  CHECK(binding["subjects"] == Json::parse(R"([
    {"kind": "User", "name": "alice", "apiGroup": "rbac.authorization.k8s.io"},
    {"kind": "Group", "name": "researchers", "apiGroup": "rbac.authorization.k8s.io"},
    {"kind": "ServiceAccount", "name": "deployer", "namespace": "ci"}])"));
  const Json& role = Find(objects, "Role", "kubectl-llm-user");
  CHECK(role["metadata"]["namespace"] == "ml");
  CHECK(role["rules"][0]["resourceNames"] == Json{"ml"});
}

TEST_CASE("a member's name cannot change the RoleBinding's structure") {
  TenantFlags f = Flags();
  f.members = {"user:x\"\n- kind: Group\n  name: system:masters"};
  auto config = BuildTenantConfig(f);
  REQUIRE_FALSE(config.ok());  // control characters are refused outright
  f.members = {"user:a\" , kind: Group, name: \"system:masters"};
  std::vector<Json> objects = Render(Plan(f));
  const Json& subjects = Find(objects, "RoleBinding", "kubectl-llm-tenant")["subjects"];
  REQUIRE(subjects.size() == 1);
  CHECK(subjects[0]["kind"] == "User");
  CHECK(subjects[0]["name"] == "a\" , kind: Group, name: \"system:masters");
}

TEST_CASE("Kueue's cohort field follows the version discovery serves") {
  CHECK(Find(Render(Plan(Flags(), Kueue("v1beta2"))), "ClusterQueue", "ml")["spec"]["cohortName"] == "kubectl-llm");
  const std::vector<Json> objects = Render(Plan(Flags(), Kueue("v1beta1")));
  const Json& old = Find(objects, "ClusterQueue", "ml");
  CHECK(old["apiVersion"] == "kueue.x-k8s.io/v1beta1");
  CHECK(old["spec"]["cohort"] == "kubectl-llm");
  CHECK_FALSE(old["spec"].contains("cohortName"));
}

TEST_CASE("without Kueue: no queues, no queue annotation") {
  std::vector<Json> objects = Render(Plan(Flags(), KueueFacts{}));
  CHECK(Names(objects).count("ClusterQueue/ml") == 0);
  CHECK(Names(objects).count("LocalQueue/ml") == 0);
  CHECK_FALSE(Find(objects, "Namespace", "ml")["metadata"].contains("annotations"));
}

TEST_CASE("GPU products: one is taken whole, several need --gpu-product, unknown ones are refused") {
  TenantPlan plan = Plan(Flags());
  plan.flavors.push_back(GpuFlavor{"gpu-nvidia-a100-sxm4-80gb", "NVIDIA-A100-SXM4-80GB", {}, 0, 0});
  auto several = RenderTenantObjects(plan, *EmbeddedTemplateSource());
  REQUIRE_FALSE(several.ok());
  CHECK(several.error().message().find("--gpu-product PRODUCT=N") != std::string::npos);
  TenantFlags f = Flags();
  f.gpu_products = {"NVIDIA-H100-80GB-HBM3=12", "NVIDIA-A100-SXM4-80GB=4"};
  TenantPlan split = Plan(f);
  split.flavors = plan.flavors;
  const std::vector<Json> objects = Render(split);
  const Json& queue = Find(objects, "ClusterQueue", "ml");
  const Json& gpu = queue["spec"]["resourceGroups"][1]["flavors"];
  REQUIRE(gpu.size() == 2);
  CHECK(gpu[0]["name"] == "gpu-nvidia-h100-80gb-hbm3");
  CHECK(gpu[0]["resources"][0]["nominalQuota"] == 12);
  CHECK(gpu[1]["resources"][0]["nominalQuota"] == 4);
  f.gpu_products = {"NVIDIA-B200=16"};
  auto unknown = RenderTenantObjects(Plan(f), *EmbeddedTemplateSource());
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message().starts_with("--gpu-product NVIDIA-B200: no GPU ResourceFlavor stands for it"));
  TenantPlan none = Plan(Flags());
  none.flavors.clear();
  CHECK_FALSE(RenderTenantObjects(none, *EmbeddedTemplateSource()).ok());
}

TEST_CASE("a --priority is the namespace's default PriorityClass") {
  TenantFlags f = Flags();
  f.priority = "experiment";
  CHECK(Find(Render(Plan(f)), "Namespace", "ml")["metadata"]["annotations"]["kubectl-llm.dev/priority-class"] ==
        "kubectl-llm-experiment");
}

TEST_CASE("init: a flavor per GPU product with the nodes' taints tolerated, PriorityClasses, the cohort") {
  json nodes = json::parse(R"({"items": [
    {"metadata": {"name": "a", "labels": {"nvidia.com/gpu.product": "NVIDIA-H100-80GB-HBM3"}},
     "spec": {"taints": [{"key": "nvidia.com/gpu", "value": "present", "effect": "NoSchedule"},
                         {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}]},
     "status": {"allocatable": {"nvidia.com/gpu": "8"}}},
    {"metadata": {"name": "b", "labels": {"nvidia.com/gpu.product": "NVIDIA-H100-80GB-HBM3"}},
     "spec": {"taints": [{"key": "dedicated", "effect": "NoExecute"}]},
     "status": {"allocatable": {"nvidia.com/gpu": "4"}}},
    {"metadata": {"name": "cpu"}, "status": {"allocatable": {"cpu": "4"}}}]})");
  std::vector<GpuFlavor> flavors = GpuFlavorsFromNodes(nodes);
  REQUIRE(flavors.size() == 1);
  CHECK(flavors[0].name == "gpu-nvidia-h100-80gb-hbm3");
  CHECK(flavors[0].gpus == 12);
  CHECK(flavors[0].largest_node == 8);
  CHECK(flavors[0].tolerations == std::vector<NodeToleration>{{"dedicated", "Exists", "", "NoExecute"},
                                                              {"nvidia.com/gpu", "Equal", "present", "NoSchedule"}});
  InitPlan plan{Kueue(), flavors};
  auto objects = RenderInitObjects(plan, *EmbeddedTemplateSource());
  REQUIRE_MESSAGE(objects.ok(), (objects.ok() ? "" : objects.error().message()));
  CHECK(Names(*objects) == std::set<std::string>{"Namespace/kubectl-llm-system", "PriorityClass/kubectl-llm-serving",
                                                 "PriorityClass/kubectl-llm-training",
                                                 "PriorityClass/kubectl-llm-experiment",
                                                 "ResourceFlavor/kubectl-llm-default",
                                                 "ResourceFlavor/gpu-nvidia-h100-80gb-hbm3", "Cohort/kubectl-llm"});
  const Json& flavor = Find(*objects, "ResourceFlavor", "gpu-nvidia-h100-80gb-hbm3");
  CHECK(flavor["spec"]["nodeLabels"] == Json{{"nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3"}});
  CHECK(flavor["spec"]["tolerations"][1] ==
        Json{{"key", "nvidia.com/gpu"}, {"operator", "Equal"}, {"value", "present"}, {"effect", "NoSchedule"}});
  CHECK(flavor["metadata"]["annotations"]["kubectl-llm.dev/gpu-product"] == "NVIDIA-H100-80GB-HBM3");
  CHECK(Find(*objects, "PriorityClass", "kubectl-llm-experiment")["preemptionPolicy"] == "Never");
  CHECK(Find(*objects, "PriorityClass", "kubectl-llm-serving")["preemptionPolicy"] == "PreemptLowerPriority");
  CHECK(Find(*objects, "PriorityClass", "kubectl-llm-serving")["value"] >
        Find(*objects, "PriorityClass", "kubectl-llm-experiment")["value"]);
  // The flavors read back as init wrote them.
  json listed = {{"items", json::array()}};
  for (const Json& object : *objects) {
    if (object["kind"] == "ResourceFlavor") listed["items"].push_back(json::parse(object.dump()));
  }
  std::vector<GpuFlavor> back = GpuFlavorsFromResourceFlavors(listed);
  REQUIRE(back.size() == 1);
  CHECK(back[0].product == "NVIDIA-H100-80GB-HBM3");
  InitPlan no_kueue{KueueFacts{}, flavors};
  CHECK(RenderInitObjects(no_kueue, *EmbeddedTemplateSource())->size() == 4);
}

TEST_CASE("flavor names from products") {
  CHECK(GpuFlavorName("NVIDIA-H100-80GB-HBM3") == "gpu-nvidia-h100-80gb-hbm3");
  CHECK(GpuFlavorName("Tesla_T4.x") == "gpu-tesla-t4-x");
  CHECK(GpuFlavorName(std::string(100, 'A')).size() == 63);
}

}  // namespace
}  // namespace llm::tenant

#include "tenant/tenant_objects.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "kube/object_fields.h"
#include "kube/well_known_names.h"
#include "render/manifest_check.h"
#include "render/plugin_rbac.h"
#include "render/template_renderer.h"
#include "render/view_data.h"

namespace llm::tenant {
namespace {

using nlohmann::json;

// What Kueue's ClusterQueue must cover without --cpu/--memory: more than any
// cluster has (the ResourceQuota is where they are limited, when asked).
constexpr char kUnlimitedCpu[] = "100000";
constexpr char kUnlimitedMemory[] = "10Pi";

Result<std::vector<Json>> Render(const TemplateSource& templates, const std::string& name, const ViewData& view) {
  LLM_ASSIGN_OR_RETURN(std::string text, RenderTemplate(templates, name, view));
  auto docs = ParseYamlDocuments(text, fmt::format("{} ({})", name, templates.Describe()));
  if (!docs.ok()) return docs.error().WithContext("the rendered template does not parse back");
  for (const Json& doc : *docs) {
    const std::string what = fmt::format("{}: {} {}", name, doc.value("kind", "?"),
                                         doc.contains("metadata") ? doc["metadata"].value("name", "?") : "?");
    LLM_RETURN_IF_ERROR(CheckManifest(doc, what));
  }
  return docs;
}

Status Append(std::vector<Json>& out, Result<std::vector<Json>> docs) {
  if (!docs.ok()) return docs.error();
  for (Json& doc : *docs) out.push_back(std::move(doc));
  return Ok();
}

ViewData TolerationsView(const std::vector<NodeToleration>& tolerations) {
  ViewData list = ViewList();
  for (const NodeToleration& t : tolerations) {
    ViewData item;
    item.set("key", t.key);
    item.set("operator", t.op);
    item.set("value", t.value.empty() ? ViewData(false) : ViewData(t.value));
    item.set("effect", t.effect);
    list.push_back(item);
  }
  return list;
}

/// Which flavor gets how many GPUs.
Result<std::vector<std::pair<const GpuFlavor*, int64_t>>> FlavorQuotas(const TenantPlan& plan) {
  std::vector<std::pair<const GpuFlavor*, int64_t>> out;
  std::string known;
  for (const GpuFlavor& flavor : plan.flavors) known += (known.empty() ? "" : ", ") + flavor.product;
  if (plan.flavors.empty()) {
    return Error(ErrorKind::kInvalidInput,
                 "Kueue is served but `kubectl llm tenant init` made no GPU ResourceFlavor: run it again once GPU "
                 "nodes (labelled nvidia.com/gpu.product) have joined");
  }
  if (plan.config.gpu_products.empty()) {
    if (plan.flavors.size() > 1) {
      return Error(ErrorKind::kUsage,
                   fmt::format("the cluster has {} GPU products ({}): say how many GPUs of each the tenant gets with "
                               "--gpu-product PRODUCT=N",
                               plan.flavors.size(), known));
    }
    out.emplace_back(&plan.flavors.front(), plan.config.gpus);
    return out;
  }
  for (const auto& [product, gpus] : plan.config.gpu_products) {
    auto it = std::find_if(plan.flavors.begin(), plan.flavors.end(),
                           [&](const GpuFlavor& flavor) { return flavor.product == product; });
    if (it == plan.flavors.end()) {
      return Error(ErrorKind::kUsage,
                   fmt::format("--gpu-product {}: no GPU ResourceFlavor stands for it (made by `kubectl llm tenant "
                               "init` from the nodes: {})",
                               product, known));
    }
    out.emplace_back(&*it, gpus);
  }
  return out;
}

}  // namespace

std::string CohortFieldFor(const std::string& api_version) {
  return api_version == "kueue.x-k8s.io/v1beta1" || api_version == "kueue.x-k8s.io/v1alpha1" ? "cohort" : "cohortName";
}

std::vector<GpuFlavor> GpuFlavorsFromNodes(const json& nodes) {
  std::map<std::string, GpuFlavor> by_product;
  std::map<std::string, std::set<NodeToleration>> tolerations;
  for (const json& node : ItemsOf(nodes)) {
    const std::string product = LabelOf(node, kGpuProductLabel);
    if (product.empty()) continue;
    GpuFlavor& flavor = by_product[product];
    flavor.product = product;
    flavor.name = GpuFlavorName(product);
    int64_t gpus = 0;
    if (const json* allocatable = FindPath(node, {"status", "allocatable", kGpuResource})) {
      gpus = ParseCountQuantity(*allocatable).value_or(0);
    }
    flavor.gpus += gpus;
    flavor.largest_node = std::max(flavor.largest_node, gpus);
    for (const json& taint : ArrayAt(node, {"spec", "taints"})) {
      const std::string key = StringAt(taint, {"key"});
      // The node lifecycle's taints (not-ready, unschedulable ...) come and go;
      // tolerating them would place pods on broken nodes.
      if (key.empty() || key.starts_with("node.kubernetes.io/") ||
          key.starts_with("node.cloudprovider.kubernetes.io/")) {
        continue;
      }
      const std::string value = StringAt(taint, {"value"});
      tolerations[product].insert({key, value.empty() ? "Exists" : "Equal", value, StringAt(taint, {"effect"})});
    }
  }
  std::vector<GpuFlavor> out;
  for (auto& [product, flavor] : by_product) {
    flavor.tolerations.assign(tolerations[product].begin(), tolerations[product].end());
    out.push_back(std::move(flavor));
  }
  std::sort(out.begin(), out.end(), [](const GpuFlavor& a, const GpuFlavor& b) { return a.name < b.name; });
  return out;
}

std::vector<GpuFlavor> GpuFlavorsFromResourceFlavors(const json& flavors) {
  std::vector<GpuFlavor> out;
  for (const json& flavor : ItemsOf(flavors)) {
    const std::string product = AnnotationOf(flavor, kGpuProductAnnotation);
    if (product.empty() || LabelOf(flavor, kManagedByLabel) != kManagedByValue) continue;
    out.push_back(GpuFlavor{NameOf(flavor), product, {}, 0, 0});
  }
  std::sort(out.begin(), out.end(), [](const GpuFlavor& a, const GpuFlavor& b) { return a.name < b.name; });
  return out;
}

Result<std::vector<Json>> RenderInitObjects(const InitPlan& plan, const TemplateSource& templates) {
  const std::vector<std::pair<std::string, std::string>> label_pairs = {
      {std::string(kManagedByLabel), std::string(kManagedByValue)}, {std::string(kComponentLabel), "tenancy"}};
  const ViewData labels = ViewPairs(label_pairs);
  std::vector<Json> out;
  ViewData ns;
  ns.set("name", std::string(kSystemNamespace));
  ns.set("labels", labels);
  LLM_RETURN_IF_ERROR(Append(out, Render(templates, "tenant/system-namespace.yaml", ns)));

  ViewData classes = ViewList();
  for (const PriorityLevel& level : kPriorityLevels) {
    ViewData item;
    item.set("name", std::string(level.priority_class));
    item.set("value", ViewInt(level.value));
    item.set("preemptionPolicy", level.preempts ? "PreemptLowerPriority" : "Never");
    item.set("description", std::string(level.description));
    classes.push_back(item);
  }
  ViewData priorities;
  priorities.set("priorityClasses", classes);
  priorities.set("labels", labels);
  LLM_RETURN_IF_ERROR(Append(out, Render(templates, "tenant/priorityclasses.yaml", priorities)));
  if (!plan.kueue.served) return out;

  ViewData flavors = ViewList();
  for (const GpuFlavor& flavor : plan.flavors) {
    ViewData item;
    item.set("name", flavor.name);
    item.set("product", flavor.product);
    item.set("hasTolerations", !flavor.tolerations.empty());
    item.set("tolerations", TolerationsView(flavor.tolerations));
    flavors.push_back(item);
  }
  ViewData kueue;
  kueue.set("apiVersion", plan.kueue.api_version);
  kueue.set("defaultFlavor", std::string(kDefaultFlavorName));
  kueue.set("productLabel", std::string(kGpuProductLabel));
  kueue.set("gpuFlavors", flavors);
  kueue.set("labels", labels);
  LLM_RETURN_IF_ERROR(Append(out, Render(templates, "tenant/resourceflavors.yaml", kueue)));
  if (!plan.kueue.cohort_api_version.empty()) {
    ViewData cohort;
    cohort.set("apiVersion", plan.kueue.cohort_api_version);
    cohort.set("cohort", std::string(kCohortName));
    cohort.set("labels", labels);
    LLM_RETURN_IF_ERROR(Append(out, Render(templates, "tenant/cohort.yaml", cohort)));
  }
  return out;
}

Result<std::vector<Json>> RenderTenantObjects(const TenantPlan& plan, const TemplateSource& templates) {
  const TenantConfig& c = plan.config;
  const std::vector<std::pair<std::string, std::string>> label_pairs = {
      {std::string(kManagedByLabel), std::string(kManagedByValue)}, {std::string(kTenantLabel), c.team}};
  const ViewData labels = ViewPairs(label_pairs);
  ViewData base;
  base.set("team", c.team);
  base.set("labels", labels);
  base.set("objectName", std::string(kTenantObjectName));
  base.set("gpuResource", std::string(kGpuResource));
  std::vector<Json> out;

  ViewData ns = base;
  std::vector<std::pair<std::string, std::string>> annotations;
  if (plan.kueue.served) annotations.emplace_back(kLocalQueueAnnotation, c.team);
  if (c.priority != nullptr)
    annotations.emplace_back(kPriorityClassAnnotation, std::string(c.priority->priority_class));
  ns.set("annotations", ViewPairs(annotations));
  ns.set("hasAnnotations", !annotations.empty());
  ns.set("podSecurity", c.pod_security);
  ns.set("podSecurityVersion", plan.pod_security_version.empty() ? "latest" : plan.pod_security_version);
  LLM_RETURN_IF_ERROR(Append(out, Render(templates, "tenant/namespace.yaml", ns)));

  LLM_ASSIGN_OR_RETURN(Json role, RenderPluginRole(templates, std::string(kUserRoleName), c.team));
  for (const auto& [key, value] : label_pairs) role["metadata"]["labels"][key] = value;
  out.push_back(std::move(role));

  if (!c.members.empty()) {
    ViewData binding = base;
    binding.set("roleName", std::string(kUserRoleName));
    ViewData subjects = ViewList();
    for (const Member& member : c.members) {
      ViewData subject;
      subject.set("kind", member.kind);
      subject.set("name", member.name);
      subject.set("apiGroup",
                  member.kind == "ServiceAccount" ? ViewData(false) : ViewData("rbac.authorization.k8s.io"));
      subject.set("namespace", member.kind == "ServiceAccount" ? ViewData(member.ns) : ViewData(false));
      subjects.push_back(subject);
    }
    binding.set("subjects", subjects);
    LLM_RETURN_IF_ERROR(Append(out, Render(templates, "tenant/rolebinding.yaml", binding)));
  }

  std::vector<std::pair<std::string, std::string>> hard = {
      {"requests." + std::string(kGpuResource), std::to_string(c.GpuCeiling())}};
  if (c.cpu) hard.emplace_back("requests.cpu", *c.cpu);
  if (c.memory) hard.emplace_back("requests.memory", *c.memory);
  if (c.storage) hard.emplace_back("requests.storage", *c.storage);
  if (c.pods) hard.emplace_back("pods", std::to_string(*c.pods));
  ViewData quota = base;
  quota.set("quota", ViewPairs(hard));
  LLM_RETURN_IF_ERROR(Append(out, Render(templates, "tenant/resourcequota.yaml", quota)));

  if (c.max_gpus_per_pod) {
    ViewData limits = base;
    limits.set("maxGpusPerPod", ViewInt(*c.max_gpus_per_pod));
    LLM_RETURN_IF_ERROR(Append(out, Render(templates, "tenant/limitrange.yaml", limits)));
  }

  ViewData policies = base;
  if (c.allow_from.empty()) {
    policies.set("allowFrom", false);
  } else {
    ViewData allow;
    allow.set("namespaces", ViewStrings(c.allow_from));
    policies.set("allowFrom", allow);
  }
  policies.set("monitoringNamespace", c.monitoring_namespace);
  LLM_RETURN_IF_ERROR(Append(out, Render(templates, "tenant/networkpolicies.yaml", policies)));

  if (!plan.kueue.served) return out;
  LLM_ASSIGN_OR_RETURN(auto flavor_quotas, FlavorQuotas(plan));
  ViewData queue = base;
  queue.set("apiVersion", plan.kueue.api_version);
  queue.set("cohortField", plan.kueue.cohort_field);
  queue.set("cohort", std::string(kCohortName));
  queue.set("defaultFlavor", std::string(kDefaultFlavorName));
  queue.set("cpu", c.cpu.value_or(kUnlimitedCpu));
  queue.set("memory", c.memory.value_or(kUnlimitedMemory));
  ViewData gpu_flavors = ViewList();
  for (const auto& [flavor, gpus] : flavor_quotas) {
    ViewData item;
    item.set("flavor", flavor->name);
    item.set("gpus", ViewInt(gpus));
    item.set("borrowingLimit", ViewInt(c.borrow_limit));
    gpu_flavors.push_back(item);
  }
  queue.set("gpuFlavors", gpu_flavors);
  LLM_RETURN_IF_ERROR(Append(out, Render(templates, "tenant/clusterqueue.yaml", queue)));
  LLM_RETURN_IF_ERROR(Append(out, Render(templates, "tenant/localqueue.yaml", queue)));
  return out;
}

}  // namespace llm::tenant

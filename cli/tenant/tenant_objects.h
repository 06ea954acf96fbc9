// What a tenant and `tenant init` are, as objects: the decisions that need
// the cluster's answers (which Kueue version is served, which GPU products
// the nodes have) are taken here from plain facts, and the objects are laid
// out by templates/tenant/*.yaml (mustache data, every string escaped) and
// checked as render's are.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "render/template_source.h"
#include "tenant/tenant_config.h"
#include "util/result.h"
#include "util/yaml_document.h"

namespace llm::tenant {

/// What discovery says about Kueue.
struct KueueFacts {
  bool served = false;             ///< ClusterQueue is served
  std::string api_version;         ///< the preferred version: "kueue.x-k8s.io/v1beta2"
  std::string cohort_field;        ///< "cohortName" (v1beta2) or "cohort" (v1beta1)
  std::string cohort_api_version;  ///< where the Cohort kind is served, "" when it is not
};
/// The ClusterQueue's cohort field name for a Kueue API version.
std::string CohortFieldFor(const std::string& api_version);

struct NodeToleration {
  std::string key, op, value, effect;  ///< op: Equal or Exists
  auto operator<=>(const NodeToleration&) const = default;
};

/// One GPU product: its ResourceFlavor.
struct GpuFlavor {
  std::string name;                         ///< GpuFlavorName(product)
  std::string product;                      ///< nvidia.com/gpu.product
  std::vector<NodeToleration> tolerations;  ///< the nodes' taints, tolerated
  int64_t gpus = 0;                         ///< allocatable on the nodes of this product
  int64_t largest_node = 0;                 ///< the most GPUs one node of this product has
};

/// One flavor per GPU product on the nodes (`nvidia.com/gpu.product`), with
/// the union of those nodes' taints as tolerations (the node lifecycle's own
/// `node.kubernetes.io/` taints left out), sorted by name.
std::vector<GpuFlavor> GpuFlavorsFromNodes(const nlohmann::json& nodes);

/// The GPU flavors `tenant init` made, from the cluster's ResourceFlavors.
std::vector<GpuFlavor> GpuFlavorsFromResourceFlavors(const nlohmann::json& flavors);

struct InitPlan {
  KueueFacts kueue;
  std::vector<GpuFlavor> flavors;
};

/// `tenant init`'s set: the system namespace, the PriorityClasses, and where
/// Kueue is served its ResourceFlavors and cohort.
Result<std::vector<Json>> RenderInitObjects(const InitPlan& plan, const TemplateSource& templates);

struct TenantPlan {
  TenantConfig config;
  KueueFacts kueue;
  std::vector<GpuFlavor> flavors;    ///< from `tenant init` (GpuFlavorsFromResourceFlavors)
  std::string pod_security_version;  ///< "v1.35": the server's minor version
};

/// The tenant's set: namespace, Role, RoleBinding, ResourceQuota, LimitRange,
/// NetworkPolicies and, where Kueue is served, ClusterQueue and LocalQueue.
/// Refused: --gpu-product naming a product no flavor stands for; several
/// products and no --gpu-product.
Result<std::vector<Json>> RenderTenantObjects(const TenantPlan& plan, const TemplateSource& templates);

}  // namespace llm::tenant

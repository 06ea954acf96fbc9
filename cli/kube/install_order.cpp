#include "kube/install_order.h"

#include <algorithm>
#include <array>
#include <string>

namespace llm::kube {
namespace {
// helm/helm pkg/release/v1/util/kind_sorter.go InstallOrder (Helm 3.13+ adds PriorityClass
// and IngressClass; the webhook configurations come last on helm main).
constexpr std::array<std::string_view, 38> kInstallOrder = {"PriorityClass",
                                                            "Namespace",
                                                            "NetworkPolicy",
                                                            "ResourceQuota",
                                                            "LimitRange",
                                                            "PodSecurityPolicy",
                                                            "PodDisruptionBudget",
                                                            "ServiceAccount",
                                                            "Secret",
                                                            "SecretList",
                                                            "ConfigMap",
                                                            "StorageClass",
                                                            "PersistentVolume",
                                                            "PersistentVolumeClaim",
                                                            "CustomResourceDefinition",
                                                            "ClusterRole",
                                                            "ClusterRoleList",
                                                            "ClusterRoleBinding",
                                                            "ClusterRoleBindingList",
                                                            "Role",
                                                            "RoleList",
                                                            "RoleBinding",
                                                            "RoleBindingList",
                                                            "Service",
                                                            "DaemonSet",
                                                            "Pod",
                                                            "ReplicationController",
                                                            "ReplicaSet",
                                                            "Deployment",
                                                            "HorizontalPodAutoscaler",
                                                            "StatefulSet",
                                                            "Job",
                                                            "CronJob",
                                                            "IngressClass",
                                                            "Ingress",
                                                            "APIService",
                                                            "MutatingWebhookConfiguration",
                                                            "ValidatingWebhookConfiguration"};

// Kinds that the admission or authorization of other objects looks up, so
// they are in place before anything after them is sent: pods are refused
// without their PriorityClass or ServiceAccount, quotas and limit ranges
// (and pod security policies) apply only to what is admitted after them, a
// claim takes the default StorageClass at admission, a token Secret goes
// when its ServiceAccount is missing, a binding's escalation check reads its
// role, a custom resource maps only once its CRD serves, an Ingress takes the
// default IngressClass, and webhooks and API services intercept what follows.
constexpr std::array<std::string_view, 20> kStagedAlone = {"PriorityClass",
                                                           "Namespace",
                                                           "ResourceQuota",
                                                           "LimitRange",
                                                           "PodSecurityPolicy",
                                                           "ServiceAccount",
                                                           "StorageClass",
                                                           "CustomResourceDefinition",
                                                           "ClusterRole",
                                                           "ClusterRoleList",
                                                           "ClusterRoleBinding",
                                                           "ClusterRoleBindingList",
                                                           "Role",
                                                           "RoleList",
                                                           "RoleBinding",
                                                           "RoleBindingList",
                                                           "IngressClass",
                                                           "APIService",
                                                           "MutatingWebhookConfiguration",
                                                           "ValidatingWebhookConfiguration"};

std::string KindOf(const nlohmann::json& object) { return object.is_object() ? object.value("kind", "") : ""; }

bool InstallsBefore(const nlohmann::json& a, const nlohmann::json& b) {
  const std::string kind_a = KindOf(a), kind_b = KindOf(b);
  const int rank_a = InstallRank(kind_a), rank_b = InstallRank(kind_b);
  if (rank_a != rank_b) return rank_a < rank_b;
  if (rank_a == static_cast<int>(kInstallOrder.size())) return kind_a < kind_b;
  return false;
}
}  // namespace

int InstallRank(std::string_view kind) {
  auto it = std::find(kInstallOrder.begin(), kInstallOrder.end(), kind);
  return static_cast<int>(it - kInstallOrder.begin());
}

void SortForInstall(std::vector<nlohmann::json>& objects) {
  std::stable_sort(objects.begin(), objects.end(), InstallsBefore);
}

namespace {
/// The stage an object of `kind` is applied in, by name: consecutive objects
/// (in install order) with the same name are applied together.
std::string StageOf(const std::string& kind) {
  const int rank = InstallRank(kind);
  if (std::find(kStagedAlone.begin(), kStagedAlone.end(), kind) != kStagedAlone.end()) return "kind " + kind;
  if (rank < InstallRank("DaemonSet")) return "prerequisites";  // of pods: nothing here looks another up
  // Workloads and their autoscalers: an autoscaler waits for its target. What
  // follows (Ingress, custom resources, whose webhooks may look up anything)
  // goes by kind, as Helm goes.
  if (rank <= InstallRank("CronJob")) return "workloads";
  return "kind " + kind;
}
}  // namespace

std::vector<std::span<nlohmann::json>> InstallStages(std::vector<nlohmann::json>& sorted) {
  std::vector<std::span<nlohmann::json>> stages;
  size_t begin = 0;
  for (size_t i = 1; i <= sorted.size(); ++i) {
    if (i < sorted.size() && StageOf(KindOf(sorted[i])) == StageOf(KindOf(sorted[begin]))) continue;
    stages.emplace_back(sorted.data() + begin, i - begin);
    begin = i;
  }
  return stages;
}

void SortForUninstall(std::vector<nlohmann::json>& objects) {
  std::stable_sort(objects.begin(), objects.end(),
                   [](const nlohmann::json& a, const nlohmann::json& b) { return InstallsBefore(b, a); });
}

}  // namespace llm::kube

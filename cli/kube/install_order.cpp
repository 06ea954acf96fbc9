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

void SortForUninstall(std::vector<nlohmann::json>& objects) {
  std::stable_sort(objects.begin(), objects.end(),
                   [](const nlohmann::json& a, const nlohmann::json& b) { return InstallsBefore(b, a); });
}

}  // namespace llm::kube

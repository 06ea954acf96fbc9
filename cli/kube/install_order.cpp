#include "kube/install_order.h"

#include <algorithm>
#include <array>
#include <string>

namespace llm::kube {
namespace {
// Which objects may be applied together (InstallStages). kOwn: the kind is a
// stage of its own, because the admission or authorization of what follows
// looks it up: pods are refused without their PriorityClass or
// ServiceAccount, quotas, limit ranges and pod security policies apply only
// to what is admitted after them, a claim takes the default StorageClass at
// admission, a token Secret goes when its ServiceAccount is missing, a
// binding's escalation check reads its role, a custom resource maps only once
// its CRD serves, an Ingress takes the default IngressClass, webhooks and API
// services intercept what follows (Ingress itself: as Helm goes, by kind).
// kPodPrerequisites: what pods need, none looking another up; kWorkloads: what
// makes pods, with their autoscalers (an autoscaler waits for its target).
enum class Stage { kOwn, kPodPrerequisites, kWorkloads };

struct KindInOrder {
  std::string_view kind;
  Stage stage;
};

// helm/helm pkg/release/v1/util/kind_sorter.go InstallOrder (Helm 3.13+ adds PriorityClass
// and IngressClass; the webhook configurations come last on helm main).
constexpr std::array<KindInOrder, 38> kInstallOrder = {{
    {"PriorityClass", Stage::kOwn},
    {"Namespace", Stage::kOwn},
    {"NetworkPolicy", Stage::kPodPrerequisites},
    {"ResourceQuota", Stage::kOwn},
    {"LimitRange", Stage::kOwn},
    {"PodSecurityPolicy", Stage::kOwn},
    {"PodDisruptionBudget", Stage::kPodPrerequisites},
    {"ServiceAccount", Stage::kOwn},
    {"Secret", Stage::kPodPrerequisites},
    {"SecretList", Stage::kPodPrerequisites},
    {"ConfigMap", Stage::kPodPrerequisites},
    {"StorageClass", Stage::kOwn},
    {"PersistentVolume", Stage::kPodPrerequisites},
    {"PersistentVolumeClaim", Stage::kPodPrerequisites},
    {"CustomResourceDefinition", Stage::kOwn},
    {"ClusterRole", Stage::kOwn},
    {"ClusterRoleList", Stage::kOwn},
    {"ClusterRoleBinding", Stage::kOwn},
    {"ClusterRoleBindingList", Stage::kOwn},
    {"Role", Stage::kOwn},
    {"RoleList", Stage::kOwn},
    {"RoleBinding", Stage::kOwn},
    {"RoleBindingList", Stage::kOwn},
    {"Service", Stage::kPodPrerequisites},
    {"DaemonSet", Stage::kWorkloads},
    {"Pod", Stage::kWorkloads},
    {"ReplicationController", Stage::kWorkloads},
    {"ReplicaSet", Stage::kWorkloads},
    {"Deployment", Stage::kWorkloads},
    {"HorizontalPodAutoscaler", Stage::kWorkloads},
    {"StatefulSet", Stage::kWorkloads},
    {"Job", Stage::kWorkloads},
    {"CronJob", Stage::kWorkloads},
    {"IngressClass", Stage::kOwn},
    {"Ingress", Stage::kOwn},
    {"APIService", Stage::kOwn},
    {"MutatingWebhookConfiguration", Stage::kOwn},
    {"ValidatingWebhookConfiguration", Stage::kOwn},
}};

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
  auto it = std::find_if(kInstallOrder.begin(), kInstallOrder.end(),
                         [&](const KindInOrder& entry) { return entry.kind == kind; });
  return static_cast<int>(it - kInstallOrder.begin());
}

void SortForInstall(std::vector<nlohmann::json>& objects) {
  std::stable_sort(objects.begin(), objects.end(), InstallsBefore);
}

namespace {
/// The stage an object of `kind` is applied in, by name: consecutive objects
/// (in install order) with the same name are applied together. Custom
/// resources (their webhooks may look up anything) go by kind, as Helm goes.
std::string StageOf(const std::string& kind) {
  const int rank = InstallRank(kind);
  const Stage stage = rank < static_cast<int>(kInstallOrder.size()) ? kInstallOrder[rank].stage : Stage::kOwn;
  switch (stage) {
    case Stage::kPodPrerequisites:
      return "pod prerequisites";
    case Stage::kWorkloads:
      return "workloads";
    case Stage::kOwn:
      break;
  }
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

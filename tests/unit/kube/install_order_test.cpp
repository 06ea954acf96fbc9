#include "kube/install_order.h"

#include <doctest/doctest.h>

namespace llm::kube {
namespace {
using nlohmann::json;

json Object(const std::string& kind, const std::string& name) {
  return {{"kind", kind}, {"metadata", {{"name", name}}}};
}

std::vector<std::string> Names(const std::vector<json>& objects) {
  std::vector<std::string> names;
  for (const json& object : objects)
    names.push_back(object["kind"].get<std::string>() + "/" + object["metadata"]["name"].get<std::string>());
  return names;
}

TEST_CASE("objects are sorted in Helm's install order, custom resources last by kind, input order kept") {
  std::vector<json> objects = {
      Object("LeaderWorkerSet", "serve"),
      Object("Deployment", "a"),
      Object("Service", "svc"),
      Object("ScaledObject", "scale"),
      Object("CustomResourceDefinition", "lws"),
      Object("Namespace", "ns"),
      Object("Deployment", "b"),
      Object("ConfigMap", "cm"),
      Object("ServiceAccount", "sa"),
      Object("Secret", "s"),
      Object("RoleBinding", "rb"),
      Object("Role", "r"),
      Object("PersistentVolumeClaim", "pvc"),
      Object("Job", "j"),
      Object("PriorityClass", "high"),
  };
  SortForInstall(objects);
  CHECK(Names(objects) == std::vector<std::string>{"PriorityClass/high", "Namespace/ns", "ServiceAccount/sa",
                                                   "Secret/s", "ConfigMap/cm", "PersistentVolumeClaim/pvc",
                                                   "CustomResourceDefinition/lws", "Role/r", "RoleBinding/rb",
                                                   "Service/svc", "Deployment/a", "Deployment/b", "Job/j",
                                                   "LeaderWorkerSet/serve", "ScaledObject/scale"});
  SortForUninstall(objects);
  CHECK(Names(objects).front() == "ScaledObject/scale");
  CHECK(Names(objects).back() == "PriorityClass/high");
}

std::vector<std::vector<std::string>> Stages(std::vector<json> objects) {
  SortForInstall(objects);
  std::vector<std::vector<std::string>> stages;
  for (std::span<json> stage : InstallStages(objects)) stages.push_back(Names({stage.begin(), stage.end()}));
  return stages;
}

TEST_CASE("a served model applies in two stages: what its pods need, then the workload with its autoscaler") {
  CHECK(
      Stages({Object("HorizontalPodAutoscaler", "chat"), Object("Deployment", "chat"), Object("Service", "chat"),
              Object("PersistentVolumeClaim", "cache"), Object("PodDisruptionBudget", "chat")}) ==
      std::vector<std::vector<std::string>>{{"PodDisruptionBudget/chat", "PersistentVolumeClaim/cache", "Service/chat"},
                                            {"Deployment/chat", "HorizontalPodAutoscaler/chat"}});
  CHECK(Stages({Object("LeaderWorkerSet", "big"), Object("Service", "big"), Object("PodMonitor", "big"),
                Object("ScaledObject", "big")}) ==
        std::vector<std::vector<std::string>>{
            {"Service/big"}, {"LeaderWorkerSet/big"}, {"PodMonitor/big"}, {"ScaledObject/big"}});
  CHECK(Stages({}).empty());
}

TEST_CASE("kinds that others' admission looks up are a stage of their own, and cut the stages around them") {
  CHECK(Stages({Object("Deployment", "d"), Object("ConfigMap", "cm"), Object("ServiceAccount", "sa"),
                Object("Secret", "token"), Object("RoleBinding", "rb"), Object("Role", "r"), Object("Service", "s"),
                Object("Namespace", "a"), Object("Namespace", "b"), Object("ResourceQuota", "q"),
                Object("LimitRange", "l"), Object("CustomResourceDefinition", "x"), Object("StorageClass", "fast"),
                Object("PersistentVolumeClaim", "pvc"), Object("Ingress", "i"), Object("IngressClass", "ic")}) ==
        std::vector<std::vector<std::string>>{{"Namespace/a", "Namespace/b"},
                                              {"ResourceQuota/q"},
                                              {"LimitRange/l"},
                                              {"ServiceAccount/sa"},
                                              {"Secret/token", "ConfigMap/cm"},
                                              {"StorageClass/fast"},
                                              {"PersistentVolumeClaim/pvc"},
                                              {"CustomResourceDefinition/x"},
                                              {"Role/r"},
                                              {"RoleBinding/rb"},
                                              {"Service/s"},
                                              {"Deployment/d"},
                                              {"IngressClass/ic"},
                                              {"Ingress/i"}});
}

TEST_CASE("install ranks") {
  CHECK(InstallRank("Namespace") < InstallRank("CustomResourceDefinition"));
  CHECK(InstallRank("CustomResourceDefinition") < InstallRank("ClusterRole"));
  CHECK(InstallRank("Service") < InstallRank("Deployment"));
  CHECK(InstallRank("JobSet") == InstallRank("LeaderWorkerSet"));
  CHECK(InstallRank("JobSet") > InstallRank("ValidatingWebhookConfiguration"));
}

}  // namespace
}  // namespace llm::kube

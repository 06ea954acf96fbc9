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

TEST_CASE("install ranks") {
  CHECK(InstallRank("Namespace") < InstallRank("CustomResourceDefinition"));
  CHECK(InstallRank("CustomResourceDefinition") < InstallRank("ClusterRole"));
  CHECK(InstallRank("Service") < InstallRank("Deployment"));
  CHECK(InstallRank("JobSet") == InstallRank("LeaderWorkerSet"));
  CHECK(InstallRank("JobSet") > InstallRank("ValidatingWebhookConfiguration"));
}

}  // namespace
}  // namespace llm::kube

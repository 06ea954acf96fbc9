#include "workload/manifest_requirements.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

using nlohmann::json;

json PodSpec(int gpus) {
  return {{"containers", {{{"name", "main"}, {"resources", {{"limits", {{"nvidia.com/gpu", gpus}}}}}}}}};
}

TEST_CASE("PodTemplatesOf counts the pods each workload kind makes") {
  struct Case {
    const char* name;
    json object;
    std::vector<int64_t> pods;
  };
  const std::vector<Case> cases = {
      {"Deployment replicas",
       {{"kind", "Deployment"}, {"spec", {{"replicas", 3}, {"template", {{"spec", PodSpec(8)}}}}}},
       {3}},
      {"Deployment default 1", {{"kind", "Deployment"}, {"spec", {{"template", {{"spec", PodSpec(8)}}}}}}, {1}},
      {"Job parallelism", {{"kind", "Job"}, {"spec", {{"parallelism", 4}, {"template", {{"spec", PodSpec(8)}}}}}}, {4}},
      {"LWS leader and workers",
       {{"kind", "LeaderWorkerSet"},
        {"spec",
         {{"replicas", 2},
          {"leaderWorkerTemplate",
           {{"size", 4}, {"leaderTemplate", {{"spec", PodSpec(8)}}}, {"workerTemplate", {{"spec", PodSpec(8)}}}}}}}},
       {2, 6}},
      {"LWS workers only",
       {{"kind", "LeaderWorkerSet"},
        {"spec",
         {{"replicas", 1}, {"leaderWorkerTemplate", {{"size", 2}, {"workerTemplate", {{"spec", PodSpec(8)}}}}}}}},
       {2}},
      {"JobSet",
       {{"kind", "JobSet"},
        {"spec",
         {{"replicatedJobs",
           {{{"replicas", 2},
             {"template", {{"spec", {{"parallelism", 3}, {"template", {{"spec", PodSpec(8)}}}}}}}}}}}}},
       {6}},
      {"Service", {{"kind", "Service"}, {"spec", {{"ports", json::array()}}}}, {}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    std::vector<int64_t> pods;
    for (const PodTemplateUse& use : PodTemplatesOf(c.object)) pods.push_back(use.pods);
    CHECK(pods == c.pods);
  }
}

TEST_CASE("GpuRequestOf takes the largest pod size, its pods, selector, tolerations and required labels") {
  json spec = PodSpec(8);
  spec["nodeSelector"] = {{"nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3"}};
  spec["tolerations"] = {{{"key", "nvidia.com/gpu"}, {"operator", "Exists"}}};
  spec["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"] = {
      {{"matchExpressions", {{{"key", "kubectl-llm.dev/gpu-check"}, {"operator", "In"}, {"values", {"pass"}}}}}}};
  const std::vector<json> objects = {
      {{"kind", "Deployment"}, {"spec", {{"replicas", 2}, {"template", {{"spec", spec}}}}}},
      {{"kind", "Job"}, {"spec", {{"parallelism", 1}, {"template", {{"spec", PodSpec(8)}}}}}},
      {{"kind", "Job"}, {"spec", {{"parallelism", 5}, {"template", {{"spec", PodSpec(1)}}}}}},
  };
  auto request = GpuRequestOf(objects);
  REQUIRE(request);
  CHECK(request->gpus_per_pod == 8);
  CHECK(request->pods == 3);
  CHECK(request->node_selector ==
        std::map<std::string, std::string>{{"nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3"}});
  CHECK(request->tolerations.size() == 1);
  CHECK(request->required_node_labels == std::map<std::string, std::string>{{"kubectl-llm.dev/gpu-check", "pass"}});

  CHECK_FALSE(GpuRequestOf({{{"kind", "Deployment"}, {"spec", {{"template", {{"spec", PodSpec(0)}}}}}}}));
}

TEST_CASE("ReferencesOf finds secrets, claims, priority classes and queues the manifests do not create") {
  json spec = PodSpec(1);
  spec["containers"][0]["env"] = {
      {{"name", "HF_TOKEN"}, {"valueFrom", {{"secretKeyRef", {{"name", "hf"}, {"key", "token"}}}}}}};
  spec["containers"][0]["envFrom"] = {{{"secretRef", {{"name", "extra"}}}}};
  spec["volumes"] = {{{"name", "cache"}, {"persistentVolumeClaim", {{"claimName", "models"}}}},
                     {{"name", "own"}, {"persistentVolumeClaim", {{"claimName", "made-here"}}}},
                     {{"name", "certs"}, {"secret", {{"secretName", "tls"}}}}};
  spec["imagePullSecrets"] = {{{"name", "regcred"}}};
  spec["priorityClassName"] = "high";
  const std::vector<json> objects = {
      {{"kind", "Job"},
       {"metadata", {{"name", "t"}, {"labels", {{"kueue.x-k8s.io/queue-name", "team-a"}}}}},
       {"spec", {{"template", {{"spec", spec}}}}}},
      {{"kind", "PersistentVolumeClaim"}, {"metadata", {{"name", "made-here"}}}},
  };
  ObjectReferences refs = ReferencesOf(objects);
  CHECK(refs.secrets == std::set<std::string>{"extra", "hf", "regcred", "tls"});
  CHECK(refs.pvcs == std::set<std::string>{"models"});
  CHECK(refs.priority_classes == std::set<std::string>{"high"});
  CHECK(refs.local_queues == std::set<std::string>{"team-a"});
}

}  // namespace
}  // namespace llm

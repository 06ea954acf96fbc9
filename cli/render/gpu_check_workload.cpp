// `gpu-check`: the pod `validate-nodes` runs on one node: llm-gpu-check with all
// of the node's GPUs, with as little privilege as the test allows. No
// IPC_LOCK: the single-node checks use CUDA-pinned host memory (pinned by the
// driver, not bound by RLIMIT_MEMLOCK) and NVLink/PCIe peer access; only
// InfiniBand/RoCE verbs (multi-node NCCL) would need to lock memory.
#include <array>

#include <fmt/format.h>

#include "render/k8s_names.h"
#include "render/workload.h"
#include "render/workload_common.h"
#include "util/build_info.h"

namespace llm {
namespace {

constexpr std::array<ValueSpec, 11> kGpuCheckValues = {{
    {"gpus", "--gpus", ValueKind::kScalar, "GPUs of the node to test (default 8)"},
    {"node", "--node", ValueKind::kScalar, "Node to run on (spec.nodeName)"},
    {"profile", "--profile", ValueKind::kScalar, "quick (default) or full"},
    {"image", "--image", ValueKind::kScalar, "llm-gpu-check image (default: the one built with this plugin)"},
    {"shmSize", "--shm-size", ValueKind::kScalar, "Size of the memory-backed /dev/shm (default 8Gi)"},
    {"activeDeadline", "--active-deadline", ValueKind::kScalar, "Seconds before the pod is stopped (default by profile)"},
    {"cpu", "--cpu", ValueKind::kScalar, "CPU request (default 4)"},
    {"memory", "--memory", ValueKind::kScalar, "Memory request and limit (default 16Gi)"},
    {"tolerations", "--toleration", ValueKind::kList, "Toleration key[=value][:effect] (repeatable)"},
    {"priorityClass", "--priority-class", ValueKind::kScalar, "PriorityClass name"},
    {"imagePullSecrets", "--image-pull-secret", ValueKind::kList, "Image pull Secret name (repeatable)"},
}};

Error Usage(std::string message) { return Error(ErrorKind::kUsage, std::move(message)); }

}  // namespace

std::span<const ValueSpec> GpuCheckValueSpecs() { return kGpuCheckValues; }

Result<RenderPlan> PlanGpuCheck(const WorkloadRequest& r) {
  const Values& v = r.values;
  if (r.backend && *r.backend != Backend::kPod) return Usage("--backend: gpu-check renders a pod");
  LLM_RETURN_IF_ERROR(CheckWorkloadName(r.name, 0, "the pod's hostname is NAME"));
  LLM_ASSIGN_OR_RETURN(std::optional<long long> gpus, v.Int("gpus", 1, 64));
  const std::string profile = v.String("profile").value_or("quick");
  if (profile != "quick" && profile != "full") {
    return Usage(fmt::format("{}: must be quick or full, got '{}'", v.Origin("profile"), profile));
  }
  LLM_ASSIGN_OR_RETURN(std::optional<long long> deadline, v.Int("activeDeadline", 30, 86400));
  std::optional<std::string> node = v.String("node");
  if (node) LLM_RETURN_IF_ERROR(CheckObjectName(*node, v.Origin("node")));
  LLM_ASSIGN_OR_RETURN(std::optional<std::string> image, ImageReference(v, "image"));
  LLM_ASSIGN_OR_RETURN(std::optional<std::string> shm, Quantity(v, "shmSize", "8Gi"));
  LLM_ASSIGN_OR_RETURN(std::optional<std::string> cpu, Quantity(v, "cpu", "4"));
  LLM_ASSIGN_OR_RETURN(std::optional<std::string> memory, Quantity(v, "memory", "16Gi"));
  std::optional<std::string> priority = v.String("priorityClass");
  if (priority) LLM_RETURN_IF_ERROR(CheckObjectName(*priority, v.Origin("priorityClass")));

  const WorkloadMeta meta{r.name, r.namespace_, "llm-gpu-check", "gpu-check"};
  const long long gpu_count = gpus.value_or(8);
  RenderPlan plan;
  ViewData& view = plan.view;
  AddMetaView(meta, view);
  view.set("objectLabels", ViewPairs(StandardLabels(meta)));
  view.set("node", ViewOptional(node));
  view.set("activeDeadline", ViewInt(deadline.value_or(profile == "quick" ? 600 : 1800)));
  view.set("image", image.value_or(fmt::format("ghcr.io/kubectl-llm/llm-gpu-check:{}", GetBuildInfo().version)));
  view.set("args", ViewStrings({"--profile", profile, "--expect-gpus", std::to_string(gpu_count), "--json",
                                "/results/result.json"}));
  ViewData env = ViewList();
  env.push_back(EnvField("NODE_NAME", "spec.nodeName"));
  env.push_back(EnvField("POD_NAME", "metadata.name"));
  env.push_back(EnvField("POD_NAMESPACE", "metadata.namespace"));
  view.set("hasEnv", true);
  view.set("env", env);
  view.set("gpus", ViewInt(gpu_count));
  view.set("cpu", *cpu);
  view.set("memory", *memory);
  view.set("shmSize", *shm);
  view.set("priorityClass", ViewOptional(priority));
  view.set("hasNodeSelector", false);
  LLM_ASSIGN_OR_RETURN(ViewData tolerations, Tolerations(v, "tolerations"));
  view.set("tolerations", tolerations);
  LLM_ASSIGN_OR_RETURN(ViewData secrets, ImagePullSecrets(v, "imagePullSecrets"));
  view.set("hasImagePullSecrets", !secrets.is_empty_list());
  view.set("imagePullSecrets", secrets);
  plan.templates = {"gpu-check/pod.yaml"};
  return plan;
}

}  // namespace llm

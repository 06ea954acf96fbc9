// `gpu-check`: the pod `validate-nodes` runs on one node: llm-gpu-check with all
// of the node's GPUs, with as little privilege as the test allows. No
// IPC_LOCK: the single-node checks use CUDA-pinned host memory (pinned by the
// driver, not bound by RLIMIT_MEMLOCK) and NVLink/PCIe peer access; only
// InfiniBand/RoCE verbs (multi-node NCCL) would need to lock memory.
//
// With --nccl-node (two or more nodes) it is the multi-node NCCL all-reduce
// instead: an Indexed Job with one pod per node and its headless Service
// (gpu_check/README.md, "Multi-node nccl"). The pods run the nccl test only,
// over the pod network (NCCL's socket transport: the restricted pod security
// level allows no IPC_LOCK and no RDMA devices are requested).
#include <array>

#include <fmt/format.h>

#include "render/k8s_names.h"
#include "render/workload.h"
#include "render/workload_common.h"
#include "util/build_info.h"

namespace llm {
namespace {

constexpr std::array<ValueSpec, 12> kGpuCheckValues = {{
    {"gpus", "--gpus", ValueKind::kScalar, "GPUs of the node to test (default 8)"},
    {"node", "--node", ValueKind::kScalar, "Node to run on (spec.nodeName)"},
    {"ncclNodes", "--nccl-node", ValueKind::kList,
     "Multi-node NCCL test across these nodes (repeat, two or more): an Indexed Job and headless Service"},
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

/// NCCL_COMM_ID's port on pod 0 (any free port in the pod's own network namespace).
constexpr int kNcclBootstrapPort = 29600;

/// Waits until pod 0's name resolves (the init container of the multi-node pods).
constexpr const char* kWaitForRank0 =
    "until getent hosts \"$RANK0_HOST\" >/dev/null 2>&1; do echo \"waiting for $RANK0_HOST to resolve\"; sleep 1; done";

Error Usage(std::string message) { return Error(ErrorKind::kUsage, std::move(message)); }

/// --nccl-node: distinct node names, at least two, and not together with --node.
Result<std::vector<std::string>> NcclNodes(const Values& v) {
  std::vector<std::string> nodes = v.List("ncclNodes");
  if (nodes.empty()) return nodes;
  if (v.String("node")) {
    return Usage(fmt::format("{} and {} cannot be combined: a multi-node test places its pods itself",
                             v.Origin("node"), v.Origin("ncclNodes")));
  }
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    LLM_RETURN_IF_ERROR(CheckObjectName(nodes[i], v.Origin("ncclNodes")));
    for (std::size_t j = 0; j < i; ++j) {
      if (nodes[j] == nodes[i]) {
        return Usage(fmt::format("{}: node \"{}\" is given twice; one pod runs on each node", v.Origin("ncclNodes"),
                                 nodes[i]));
      }
    }
  }
  if (nodes.size() < 2) {
    return Usage(fmt::format("{}: a multi-node test needs at least two nodes, got one", v.Origin("ncclNodes")));
  }
  return nodes;
}

}  // namespace

std::span<const ValueSpec> GpuCheckValueSpecs() { return kGpuCheckValues; }

Result<RenderPlan> PlanGpuCheck(const WorkloadRequest& r) {
  const Values& v = r.values;
  if (r.backend && *r.backend != Backend::kPod) return Usage("--backend: gpu-check renders a pod");
  LLM_ASSIGN_OR_RETURN(std::vector<std::string> nccl_nodes, NcclNodes(v));
  const bool multi_node = !nccl_nodes.empty();
  if (multi_node) {
    // The pods' hostnames are NAME-INDEX.
    LLM_RETURN_IF_ERROR(CheckWorkloadName(r.name, 1 + std::to_string(nccl_nodes.size() - 1).size(),
                                          "the pods' hostnames are NAME-INDEX"));
  } else {
    LLM_RETURN_IF_ERROR(CheckWorkloadName(r.name, 0, "the pod's hostname is NAME"));
  }
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
  const ViewData active_deadline = ViewInt(deadline.value_or(profile == "quick" ? 600 : 1800));
  RenderPlan plan;
  ViewData& view = plan.view;
  AddMetaView(meta, view);
  view.set("objectLabels", ViewPairs(StandardLabels(meta)));
  view.set("node", ViewOptional(node));
  view.set("image", image.value_or(fmt::format("ghcr.io/kubectl-llm/llm-gpu-check:{}", GetBuildInfo().version)));
  std::vector<std::string> args = {"--profile", profile, "--expect-gpus", std::to_string(gpu_count)};
  if (multi_node) args.insert(args.end(), {"--tests", "nccl"});
  args.insert(args.end(), {"--json", "/results/result.json"});
  view.set("args", ViewStrings(args));
  ViewData env = ViewList();
  env.push_back(EnvField("NODE_NAME", "spec.nodeName"));
  env.push_back(EnvField("POD_NAME", "metadata.name"));
  env.push_back(EnvField("POD_NAMESPACE", "metadata.namespace"));
  const std::string rank0 = fmt::format("{}-0.{}", r.name, r.name);
  if (multi_node) {
    // The rank comes from JOB_COMPLETION_INDEX, which the Job controller sets.
    env.push_back(EnvValue("LLM_GPU_CHECK_WORLD_SIZE", std::to_string(nccl_nodes.size())));
    env.push_back(EnvValue("NCCL_COMM_ID", fmt::format("{}:{}", rank0, kNcclBootstrapPort)));
  }
  view.set("hasEnv", true);
  view.set("env", env);
  view.set("gpus", ViewInt(gpu_count));
  view.set("cpu", *cpu);
  view.set("memory", *memory);
  view.set("shmSize", *shm);
  view.set("priorityClass", ViewOptional(priority));
  view.set("hasNodeSelector", false);
  LLM_ASSIGN_OR_RETURN(ViewData tolerations, Tolerations(v, "tolerations"));
  if (!multi_node) {
    view.set("tolerations", tolerations);
  } else {
    // The single-node pod names its node (spec.nodeName), which no NoSchedule
    // taint keeps out; these pods go through the scheduler, pinned to the named
    // nodes, so they tolerate every NoSchedule taint to match.
    ViewData any;
    any.set("key", "");
    any.set("operator", "Exists");
    any.set("value", false);
    any.set("effect", "NoSchedule");
    ViewData with_any = ViewList();
    with_any.push_back(any);
    for (const ViewData& item : tolerations.list_value()) with_any.push_back(item);
    view.set("tolerations", with_any);
  }
  LLM_ASSIGN_OR_RETURN(ViewData secrets, ImagePullSecrets(v, "imagePullSecrets"));
  view.set("hasImagePullSecrets", !secrets.is_empty_list());
  view.set("imagePullSecrets", secrets);
  view.set("multiNode", multi_node);
  if (!multi_node) {
    view.set("podActiveDeadline", active_deadline);
    plan.templates = {"gpu-check/pod.yaml"};
    return plan;
  }
  view.set("podActiveDeadline", false);  // the Job's deadline covers both pods
  view.set("activeDeadline", active_deadline);
  view.set("worldSize", ViewInt(static_cast<long long>(nccl_nodes.size())));
  view.set("ncclNodes", ViewStrings(nccl_nodes));
  view.set("ncclPort", ViewInt(kNcclBootstrapPort));
  view.set("rank0Host", rank0);
  view.set("waitCommand", ViewStrings({"/bin/sh", "-c", kWaitForRank0}));
  plan.templates = {"gpu-check/nccl-service.yaml", "gpu-check/nccl-job.yaml"};
  return plan;
}

}  // namespace llm

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

#include "render/gpu_check_config.h"
#include "util/build_info.h"

namespace llm {
namespace {

constexpr std::array<ValueSpec, 12> kGpuCheckValues = {{
    {"gpus", "--gpus", ValueKind::kScalar, "GPUs of the node to test (default 8)", "N"},
    {"node", "--node", ValueKind::kScalar, "Node to run on (spec.nodeName)", "NODE"},
    {"ncclNodes", "--nccl-node", ValueKind::kList,
     "Multi-node NCCL test across these nodes (repeat, two or more): an Indexed Job and headless Service", "NODE"},
    {"profile", "--profile", ValueKind::kScalar, "quick (default) or full", "quick|full"},
    {"image", "--image", ValueKind::kScalar, "llm-gpu-check image (default: the one built with this plugin)", "IMAGE"},
    {"shmSize", "--shm-size", ValueKind::kScalar, "Size of the memory-backed /dev/shm (default 8Gi)", "QUANTITY"},
    {"activeDeadline", "--active-deadline", ValueKind::kScalar,
     "Seconds before the pod is stopped (default by profile)", "SECONDS"},
    {"cpu", "--cpu", ValueKind::kScalar, "CPU request (default 4)", "QUANTITY"},
    {"memory", "--memory", ValueKind::kScalar, "Memory request and limit (default 16Gi)", "QUANTITY"},
    {"tolerations", "--toleration", ValueKind::kList, "Toleration key[=value][:effect] (repeatable)",
     "KEY[=VALUE][:EFFECT]"},
    {"priorityClass", "--priority-class", ValueKind::kScalar, "PriorityClass name", "NAME"},
    {"imagePullSecrets", "--image-pull-secret", ValueKind::kList, "Image pull Secret name (repeatable)", "NAME"},
}};

/// --nccl-node: distinct node names, at least two, and not together with --node.
Result<std::vector<std::string>> NcclNodes(const Values& v) {
  std::vector<std::string> nodes = v.List("ncclNodes");
  if (nodes.empty()) return nodes;
  if (v.String("node")) {
    return Usage(fmt::format("{} and {} cannot be combined: a multi-node test places its pods itself", v.Origin("node"),
                             v.Origin("ncclNodes")));
  }
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    LLM_RETURN_IF_ERROR(CheckObjectName(nodes[i], v.Origin("ncclNodes")));
    for (std::size_t j = 0; j < i; ++j) {
      if (nodes[j] == nodes[i]) {
        return Usage(
            fmt::format("{}: node \"{}\" is given twice; one pod runs on each node", v.Origin("ncclNodes"), nodes[i]));
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

Result<GpuCheckConfig> BuildGpuCheckConfig(const WorkloadRequest& r) {
  const Values& v = r.values;
  GpuCheckConfig c;
  if (r.backend && *r.backend != Backend::kPod) return Usage("--backend: gpu-check renders a pod");
  LLM_ASSIGN_OR_RETURN(c.nccl_nodes, NcclNodes(v));
  if (c.multi_node()) {
    LLM_RETURN_IF_ERROR(CheckWorkloadName(r.name, 1 + std::to_string(c.nccl_nodes.size() - 1).size(),
                                          "the pods' hostnames are NAME-INDEX"));
    c.rank0_host = fmt::format("{}-0.{}", r.name, r.name);
  } else {
    LLM_RETURN_IF_ERROR(CheckWorkloadName(r.name, 0, "the pod's hostname is NAME"));
  }
  c.meta = WorkloadMeta{r.name, r.namespace_, "llm-gpu-check", "gpu-check"};
  LLM_ASSIGN_OR_RETURN(c.gpus, IntOr(v, "gpus", 1, 64, 8));
  c.profile = v.String("profile").value_or("quick");
  if (c.profile != "quick" && c.profile != "full") {
    return Usage(fmt::format("{}: must be quick or full, got '{}'", v.Origin("profile"), c.profile));
  }
  LLM_ASSIGN_OR_RETURN(std::optional<long long> deadline, v.Int("activeDeadline", 30, 86400));
  c.active_deadline = deadline.value_or(c.profile == "quick" ? 600 : 1800);
  LLM_ASSIGN_OR_RETURN(c.node, ObjectNameValue(v, "node"));
  LLM_ASSIGN_OR_RETURN(std::optional<std::string> image, ImageReference(v, "image"));
  c.image = image.value_or(fmt::format("ghcr.io/kubectl-llm/llm-gpu-check:{}", GetBuildInfo().version));
  LLM_ASSIGN_OR_RETURN(std::optional<std::string> shm, Quantity(v, "shmSize", "8Gi"));
  LLM_ASSIGN_OR_RETURN(std::optional<std::string> cpu, Quantity(v, "cpu", "4"));
  LLM_ASSIGN_OR_RETURN(std::optional<std::string> memory, Quantity(v, "memory", "16Gi"));
  c.shm_size = *shm;
  c.cpu = *cpu;
  c.memory = *memory;
  LLM_ASSIGN_OR_RETURN(c.scheduling.priority_class, ObjectNameValue(v, "priorityClass"));
  LLM_ASSIGN_OR_RETURN(c.scheduling.tolerations, Tolerations(v, "tolerations"));
  if (c.multi_node()) {
    // The single-node pod names its node (spec.nodeName), which no NoSchedule
    // taint keeps out; these pods go through the scheduler, pinned to the named
    // nodes, so they tolerate every NoSchedule taint to match.
    c.scheduling.tolerations.insert(c.scheduling.tolerations.begin(), Toleration{"", std::nullopt, "NoSchedule"});
  }
  LLM_ASSIGN_OR_RETURN(c.scheduling.image_pull_secrets, ImagePullSecrets(v, "imagePullSecrets"));
  return c;
}

}  // namespace llm

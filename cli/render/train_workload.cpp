// `train`: torchrun on N nodes. A JobSet (one replicated Job of N indexed pods)
// when JobSet is served, else an Indexed Job + headless Service. Either way each
// pod gets the torchrun environment (MASTER_ADDR/PORT, WORLD_SIZE, NODE_RANK and
// the PET_* names torchrun reads) and waits until the master's name resolves.
#include <array>

#include <fmt/format.h>

#include "render/k8s_names.h"
#include "render/train_config.h"

namespace llm {
namespace {

constexpr std::array<ValueSpec, 21> kTrainValues = {{
    {"image", "--image", ValueKind::kScalar, "Training image (required)", "IMAGE"},
    {"command", "", ValueKind::kList, "The command (also given after '--')"},
    {"nodes", "--nodes", ValueKind::kScalar, "Nodes (pods), default 1", "N"},
    {"gpusPerNode", "--gpus-per-node", ValueKind::kScalar, "GPUs per node (torchrun processes per node), default 1",
     "N"},
    {"masterPort", "--master-port", ValueKind::kScalar, "Rendezvous port (default 29500)", "PORT"},
    {"env", "--env", ValueKind::kMap, "Environment variable K=V (repeatable)", "KEY=VALUE"},
    {"data", "--data", ValueKind::kScalar, "PVC:MOUNT with the training data (mounted read-only)", "PVC:MOUNT"},
    {"checkpoint", "--checkpoint", ValueKind::kScalar, "PVC:MOUNT for checkpoints", "PVC:MOUNT"},
    {"cpu", "--cpu", ValueKind::kScalar, "CPU request per pod (quantity)", "QUANTITY"},
    {"memory", "--memory", ValueKind::kScalar, "Memory request and limit per pod (quantity)", "QUANTITY"},
    {"shmSize", "--shm-size", ValueKind::kScalar, "Size of the memory-backed /dev/shm (default 16Gi)", "QUANTITY"},
    {"maxRestarts", "--max-restarts", ValueKind::kScalar, "Restarts of the whole group before failing (default 0)",
     "N"},
    {"priorityClass", "--priority-class", ValueKind::kScalar, "PriorityClass name", "NAME"},
    {"queue", "--queue", ValueKind::kScalar, "Kueue LocalQueue (kueue.x-k8s.io/queue-name label)", "NAME"},
    {"ttlAfterFinished", "--ttl-after-finished", ValueKind::kScalar, "Seconds to keep the finished job", "SECONDS"},
    {"activeDeadline", "--active-deadline", ValueKind::kScalar, "Seconds the job may run", "SECONDS"},
    {"exclusiveTopology", "--exclusive-topology", ValueKind::kScalar,
     "Node label key: one job per topology domain (JobSet)", "LABEL_KEY"},
    {"gpuProduct", "--gpu-product", ValueKind::kScalar, "Required nvidia.com/gpu.product node label value", "PRODUCT"},
    {"nodeSelector", "--node-selector", ValueKind::kMap, "Node label K=V (repeatable)", "KEY=VALUE"},
    {"tolerations", "--toleration", ValueKind::kList, "Toleration key[=value][:effect] (repeatable)",
     "KEY[=VALUE][:EFFECT]"},
    {"imagePullSecrets", "--image-pull-secret", ValueKind::kList, "Image pull Secret name (repeatable)", "NAME"},
}};

}  // namespace

std::span<const ValueSpec> TrainValueSpecs() { return kTrainValues; }

Result<TrainConfig> BuildTrainConfig(const WorkloadRequest& r) {
  const Values& v = r.values;
  TrainConfig c;
  LLM_ASSIGN_OR_RETURN(c.backend, ChooseTrainBackend(r.served, r.backend));
  const bool jobset = c.backend == Backend::kJobSet;
  LLM_ASSIGN_OR_RETURN(c.nodes, IntOr(v, "nodes", 1, 10000, 1));
  LLM_ASSIGN_OR_RETURN(c.gpus_per_node, IntOr(v, "gpusPerNode", 1, 64, 1));
  LLM_ASSIGN_OR_RETURN(c.master_port, IntOr(v, "masterPort", 1, 65535, 29500));
  LLM_ASSIGN_OR_RETURN(c.max_restarts, IntOr(v, "maxRestarts", 0, 1000, 0));
  LLM_ASSIGN_OR_RETURN(c.ttl_after_finished, v.Int("ttlAfterFinished", 0, 100'000'000));
  LLM_ASSIGN_OR_RETURN(c.active_deadline, v.Int("activeDeadline", 1, 100'000'000));

  // JobSet names pods' hostnames NAME-node-0-<index>; an Indexed Job NAME-<index>.
  const size_t index_digits = std::to_string(c.nodes - 1).size();
  LLM_RETURN_IF_ERROR(jobset ? CheckWorkloadName(r.name, 8 + index_digits, "JobSet appends '-node-0-<index>'")
                             : CheckWorkloadName(r.name, 1 + index_digits, "the Indexed Job appends '-<index>'"));
  c.master_addr = jobset ? fmt::format("{}-node-0-0.{}", r.name, r.name) : fmt::format("{}-0.{}", r.name, r.name);
  c.meta = WorkloadMeta{r.name, r.namespace_, "torchrun", "train"};

  LLM_ASSIGN_OR_RETURN(std::optional<std::string> image, ImageReference(v, "image"));
  if (!image) return Usage("--image is required: the training image (e.g. nvcr.io/nvidia/pytorch:25.01-py3)");
  c.image = *image;
  c.command = r.trailing.empty() ? v.List("command") : r.trailing;
  if (c.command.empty()) return Usage("train needs the command to run after '--' (e.g. -- torchrun train.py)");

  c.exclusive_topology = v.String("exclusiveTopology");
  if (c.exclusive_topology) {
    LLM_RETURN_IF_ERROR(CheckLabelKey(*c.exclusive_topology, v.Origin("exclusiveTopology")));
    if (!jobset) {
      return Usage(fmt::format("{} needs the jobset backend (an Indexed Job has no exclusive placement)",
                               v.Origin("exclusiveTopology")));
    }
  }
  LLM_ASSIGN_OR_RETURN(c.queue, KueueQueue(v, "queue"));
  LLM_ASSIGN_OR_RETURN(c.scheduling.priority_class, ObjectNameValue(v, "priorityClass"));
  LLM_ASSIGN_OR_RETURN(c.data, ClaimMount(v, "data"));
  LLM_ASSIGN_OR_RETURN(c.checkpoint, ClaimMount(v, "checkpoint"));
  if (c.data && c.checkpoint && c.data->mount_path == c.checkpoint->mount_path) {
    return Usage(fmt::format("{} and {} mount at the same path", v.Origin("data"), v.Origin("checkpoint")));
  }

  // train_view.cpp sets these for torchrun (tests keep the two lists equal).
  LLM_ASSIGN_OR_RETURN(c.env, UserEnv(v, "env",
                                      {"MASTER_ADDR", "MASTER_PORT", "WORLD_SIZE", "NODE_RANK", "PET_MASTER_ADDR",
                                       "PET_MASTER_PORT", "PET_NNODES", "PET_NPROC_PER_NODE", "PET_NODE_RANK"}));
  LLM_ASSIGN_OR_RETURN(c.cpu, Quantity(v, "cpu"));
  LLM_ASSIGN_OR_RETURN(c.memory, Quantity(v, "memory"));
  LLM_ASSIGN_OR_RETURN(std::optional<std::string> shm, Quantity(v, "shmSize", "16Gi"));
  c.shm_size = *shm;
  LLM_ASSIGN_OR_RETURN(c.scheduling.node_selector, NodeSelector(v, "nodeSelector", "gpuProduct"));
  LLM_ASSIGN_OR_RETURN(c.scheduling.tolerations, Tolerations(v, "tolerations"));
  LLM_ASSIGN_OR_RETURN(c.scheduling.image_pull_secrets, ImagePullSecrets(v, "imagePullSecrets"));
  return c;
}

}  // namespace llm

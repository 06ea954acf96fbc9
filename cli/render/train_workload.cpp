// `train`: torchrun on N nodes. A JobSet (one replicated Job of N indexed pods)
// when JobSet is served, else an Indexed Job + headless Service. Either way each
// pod gets the torchrun environment (MASTER_ADDR/PORT, WORLD_SIZE, NODE_RANK and
// the PET_* names torchrun reads) and waits until the master's name resolves.
#include <array>

#include <fmt/format.h>

#include "render/k8s_names.h"
#include "render/workload.h"
#include "render/workload_common.h"

namespace llm {
namespace {

constexpr std::array<ValueSpec, 21> kTrainValues = {{
    {"image", "--image", ValueKind::kScalar, "Training image (required)"},
    {"command", "", ValueKind::kList, "The command (also given after '--')"},
    {"nodes", "--nodes", ValueKind::kScalar, "Nodes (pods), default 1"},
    {"gpusPerNode", "--gpus-per-node", ValueKind::kScalar, "GPUs per node (torchrun processes per node), default 1"},
    {"masterPort", "--master-port", ValueKind::kScalar, "Rendezvous port (default 29500)"},
    {"env", "--env", ValueKind::kMap, "Environment variable K=V (repeatable)"},
    {"data", "--data", ValueKind::kScalar, "PVC:MOUNT with the training data (mounted read-only)"},
    {"checkpoint", "--checkpoint", ValueKind::kScalar, "PVC:MOUNT for checkpoints"},
    {"cpu", "--cpu", ValueKind::kScalar, "CPU request per pod (quantity)"},
    {"memory", "--memory", ValueKind::kScalar, "Memory request and limit per pod (quantity)"},
    {"shmSize", "--shm-size", ValueKind::kScalar, "Size of the memory-backed /dev/shm (default 16Gi)"},
    {"maxRestarts", "--max-restarts", ValueKind::kScalar, "Restarts of the whole group before failing (default 0)"},
    {"priorityClass", "--priority-class", ValueKind::kScalar, "PriorityClass name"},
    {"queue", "--queue", ValueKind::kScalar, "Kueue LocalQueue (kueue.x-k8s.io/queue-name label)"},
    {"ttlAfterFinished", "--ttl-after-finished", ValueKind::kScalar, "Seconds to keep the finished job"},
    {"activeDeadline", "--active-deadline", ValueKind::kScalar, "Seconds the job may run"},
    {"exclusiveTopology", "--exclusive-topology", ValueKind::kScalar, "Node label key: one job per topology domain (JobSet)"},
    {"gpuProduct", "--gpu-product", ValueKind::kScalar, "Required nvidia.com/gpu.product node label value"},
    {"nodeSelector", "--node-selector", ValueKind::kMap, "Node label K=V (repeatable)"},
    {"tolerations", "--toleration", ValueKind::kList, "Toleration key[=value][:effect] (repeatable)"},
    {"imagePullSecrets", "--image-pull-secret", ValueKind::kList, "Image pull Secret name (repeatable)"},
}};

constexpr const char* kCompletionIndex = "metadata.annotations['batch.kubernetes.io/job-completion-index']";
// getent for glibc images, python3 otherwise: no extra image to pull.
constexpr const char* kWaitScript =
    "until getent hosts \"$MASTER_ADDR\" >/dev/null 2>&1 || python3 -c 'import os,socket; "
    "socket.getaddrinfo(os.environ[\"MASTER_ADDR\"], None)' >/dev/null 2>&1; do "
    "echo \"waiting for $MASTER_ADDR to resolve\"; sleep 2; done";

Error Usage(std::string message) { return Error(ErrorKind::kUsage, std::move(message)); }

Result<int> IntOr(const Values& v, std::string_view key, long long min, long long max, int fallback) {
  LLM_ASSIGN_OR_RETURN(std::optional<long long> value, v.Int(key, min, max));
  return value ? static_cast<int>(*value) : fallback;
}

ViewData MountView(const std::optional<VolumeClaimMount>& mount) {
  if (!mount) return ViewData(false);
  ViewData view;
  view.set("claim", mount->claim);
  view.set("mountPath", mount->mount_path);
  return view;
}

ViewData OptionalInt(const std::optional<long long>& v) { return v ? ViewInt(*v) : ViewData(false); }

}  // namespace

std::span<const ValueSpec> TrainValueSpecs() { return kTrainValues; }

Result<RenderPlan> PlanTrain(const WorkloadRequest& r) {
  const Values& v = r.values;
  LLM_ASSIGN_OR_RETURN(const Backend backend, ChooseTrainBackend(r.served, r.backend));
  const bool jobset = backend == Backend::kJobSet;
  LLM_ASSIGN_OR_RETURN(const int nodes, IntOr(v, "nodes", 1, 10000, 1));
  LLM_ASSIGN_OR_RETURN(const int gpus, IntOr(v, "gpusPerNode", 1, 64, 1));
  LLM_ASSIGN_OR_RETURN(const int port, IntOr(v, "masterPort", 1, 65535, 29500));
  LLM_ASSIGN_OR_RETURN(const int max_restarts, IntOr(v, "maxRestarts", 0, 1000, 0));
  LLM_ASSIGN_OR_RETURN(std::optional<long long> ttl, v.Int("ttlAfterFinished", 0, 100'000'000));
  LLM_ASSIGN_OR_RETURN(std::optional<long long> deadline, v.Int("activeDeadline", 1, 100'000'000));

  // JobSet names pods' hostnames NAME-node-0-<index>; an Indexed Job NAME-<index>.
  const size_t index_digits = std::to_string(nodes - 1).size();
  LLM_RETURN_IF_ERROR(jobset ? CheckWorkloadName(r.name, 8 + index_digits, "JobSet appends '-node-0-<index>'")
                             : CheckWorkloadName(r.name, 1 + index_digits, "the Indexed Job appends '-<index>'"));
  WorkloadMeta meta{r.name, r.namespace_, "torchrun", "train"};

  LLM_ASSIGN_OR_RETURN(std::optional<std::string> image, ImageReference(v, "image"));
  if (!image) return Usage("--image is required: the training image (e.g. nvcr.io/nvidia/pytorch:25.01-py3)");
  std::vector<std::string> command = r.trailing.empty() ? v.List("command") : r.trailing;
  if (command.empty()) return Usage("train needs the command to run after '--' (e.g. -- torchrun train.py)");

  std::optional<std::string> topology = v.String("exclusiveTopology");
  if (topology) {
    LLM_RETURN_IF_ERROR(CheckLabelKey(*topology, v.Origin("exclusiveTopology")));
    if (!jobset) {
      return Usage(fmt::format("{} needs the jobset backend (an Indexed Job has no exclusive placement)",
                               v.Origin("exclusiveTopology")));
    }
  }
  std::optional<std::string> queue = v.String("queue");
  if (queue) {
    if (queue->empty()) return Usage(fmt::format("{}: must not be empty", v.Origin("queue")));
    LLM_RETURN_IF_ERROR(CheckLabelValue(*queue, v.Origin("queue")));
  }
  std::optional<std::string> priority = v.String("priorityClass");
  if (priority) LLM_RETURN_IF_ERROR(CheckObjectName(*priority, v.Origin("priorityClass")));
  LLM_ASSIGN_OR_RETURN(std::optional<VolumeClaimMount> data, ClaimMount(v, "data"));
  LLM_ASSIGN_OR_RETURN(std::optional<VolumeClaimMount> checkpoint, ClaimMount(v, "checkpoint"));
  if (data && checkpoint && data->mount_path == checkpoint->mount_path) {
    return Usage(fmt::format("{} and {} mount at the same path", v.Origin("data"), v.Origin("checkpoint")));
  }

  RenderPlan plan;
  ViewData& view = plan.view;
  AddMetaView(meta, view);
  view.set("objectLabels", ViewPairs(StandardLabels(meta)));
  // Kueue admits the workload object; its queue label goes there only.
  auto workload_labels = StandardLabels(meta);
  if (queue) workload_labels.emplace_back("kueue.x-k8s.io/queue-name", *queue);
  view.set("workload", ViewData("objectLabels", ViewPairs(workload_labels)));
  view.set("podLabels", ViewPairs(StandardLabels(meta)));
  std::vector<std::pair<std::string, std::string>> annotations;
  if (topology) annotations.emplace_back("alpha.jobset.sigs.k8s.io/exclusive-topology", *topology);
  view.set("hasAnnotations", !annotations.empty());
  view.set("annotations", ViewPairs(annotations));
  view.set("nodes", ViewInt(nodes));
  view.set("gpus", ViewInt(gpus));
  view.set("masterPort", ViewInt(port));
  view.set("maxRestarts", ViewInt(max_restarts));
  view.set("ttlAfterFinished", OptionalInt(ttl));
  view.set("activeDeadline", OptionalInt(deadline));
  view.set("subdomain", jobset ? ViewData(false) : ViewData(r.name));  // JobSet sets its own
  view.set("image", *image);
  view.set("command", ViewStrings(command));
  view.set("waitCommand", ViewStrings({"/bin/sh", "-c", kWaitScript}));

  const std::string master = jobset ? fmt::format("{}-node-0-0.{}", r.name, r.name) : fmt::format("{}-0.{}", r.name, r.name);
  view.set("masterAddr", master);
  ViewData env = ViewList();
  env.push_back(EnvValue("MASTER_ADDR", master));
  env.push_back(EnvValue("MASTER_PORT", std::to_string(port)));
  env.push_back(EnvValue("WORLD_SIZE", std::to_string(nodes * gpus)));
  env.push_back(EnvField("NODE_RANK", kCompletionIndex));
  env.push_back(EnvValue("PET_MASTER_ADDR", master));
  env.push_back(EnvValue("PET_MASTER_PORT", std::to_string(port)));
  env.push_back(EnvValue("PET_NNODES", std::to_string(nodes)));
  env.push_back(EnvValue("PET_NPROC_PER_NODE", std::to_string(gpus)));
  env.push_back(EnvField("PET_NODE_RANK", kCompletionIndex));
  const std::vector<std::string> reserved = {"MASTER_ADDR", "MASTER_PORT", "WORLD_SIZE", "NODE_RANK",
                                             "PET_MASTER_ADDR", "PET_MASTER_PORT", "PET_NNODES",
                                             "PET_NPROC_PER_NODE", "PET_NODE_RANK"};
  LLM_RETURN_IF_ERROR(AppendUserEnv(v, "env", reserved, env));
  view.set("hasEnv", true);
  view.set("env", env);

  LLM_ASSIGN_OR_RETURN(std::optional<std::string> cpu, Quantity(v, "cpu"));
  LLM_ASSIGN_OR_RETURN(std::optional<std::string> memory, Quantity(v, "memory"));
  LLM_ASSIGN_OR_RETURN(std::optional<std::string> shm, Quantity(v, "shmSize", "16Gi"));
  view.set("cpu", ViewOptional(cpu));
  view.set("memory", ViewOptional(memory));
  view.set("shmSize", *shm);
  view.set("data", MountView(data));
  view.set("checkpoint", MountView(checkpoint));
  view.set("priorityClass", ViewOptional(priority));
  LLM_ASSIGN_OR_RETURN(auto selector, NodeSelector(v, "nodeSelector", "gpuProduct"));
  view.set("hasNodeSelector", !selector.empty());
  view.set("nodeSelector", ViewPairs(selector));
  LLM_ASSIGN_OR_RETURN(ViewData tolerations, Tolerations(v, "tolerations"));
  view.set("tolerations", tolerations);
  LLM_ASSIGN_OR_RETURN(ViewData secrets, ImagePullSecrets(v, "imagePullSecrets"));
  view.set("hasImagePullSecrets", !secrets.is_empty_list());
  view.set("imagePullSecrets", secrets);

  if (jobset) {
    plan.templates = {"train/jobset.yaml"};
  } else {
    plan.templates = {"train/headless-service.yaml", "train/job.yaml"};
  }
  return plan;
}

}  // namespace llm

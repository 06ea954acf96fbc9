// `train`: torchrun on N nodes. A JobSet (one replicated Job of N indexed pods)
// when JobSet is served, else an Indexed Job + headless Service. Either way each
// pod gets the torchrun environment (MASTER_ADDR/PORT, WORLD_SIZE, NODE_RANK and
// the PET_* names torchrun reads) and waits until the master's name resolves.
// `--nodes MIN:MAX` makes it elastic: torchrun's c10d rendezvous on index 0's
// stable name, an Indexed Job by default (completions and parallelism change
// together since Kubernetes 1.31), bounds kept on the object for `scale --nodes`.
#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "render/k8s_names.h"
#include "render/train_config.h"
#include "util/duration.h"

namespace llm {
namespace {

constexpr std::array<ValueSpec, 23> kTrainValues = {{
    {"image", "--image", ValueKind::kScalar, "Training image (required)", "IMAGE"},
    {"command", "", ValueKind::kList, "The command (also given after '--')"},
    {"nodes", "--nodes", ValueKind::kScalar,
     "Nodes (pods), default 1; MIN:MAX for elastic training (torchrun c10d rendezvous, needs --checkpoint; "
     "starts at MAX when they fit, else as many as fit, not below MIN; kubectl llm scale NAME --nodes K)",
     "N|MIN:MAX"},
    {"gpusPerNode", "--gpus-per-node", ValueKind::kScalar, "GPUs per node (torchrun processes per node), default 1",
     "N"},
    {"masterPort", "--master-port", ValueKind::kScalar, "Rendezvous port (default 29500)", "PORT"},
    {"env", "--env", ValueKind::kMap, "Environment variable K=V (repeatable)", "KEY=VALUE"},
    {"data", "--data", ValueKind::kScalar, "PVC:MOUNT with the training data (mounted read-only)", "PVC:MOUNT"},
    {"checkpoint", "--checkpoint", ValueKind::kScalar, "PVC:MOUNT for checkpoints", "PVC:MOUNT"},
    {"cpu", "--cpu", ValueKind::kScalar, "CPU request per pod (quantity)", "QUANTITY"},
    {"memory", "--memory", ValueKind::kScalar, "Memory request and limit per pod (quantity)", "QUANTITY"},
    {"shmSize", "--shm-size", ValueKind::kScalar, "Size of the memory-backed /dev/shm (default 16Gi)", "QUANTITY"},
    {"maxRestarts", "--max-restarts", ValueKind::kScalar,
     "Restarts of the whole group before failing (default 0); elastic: torchrun's --max-restarts, each membership "
     "change counting as one (default 3)",
     "N"},
    {"rdzvTimeout", "--rdzv-timeout", ValueKind::kScalar,
     "Elastic: how long a rendezvous round waits for MIN nodes (default 15m)", "DURATION"},
    {"rdzvLastCallTimeout", "--rdzv-last-call-timeout", ValueKind::kScalar,
     "Elastic: how long a round stays open for more nodes once MIN joined (default 2m; torchrun's 30s closes it "
     "before slow pods arrive)",
     "DURATION"},
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

constexpr int kMaxNodes = 10000;

/// The variables TrainView sets, in both modes: --env may set none of them.
const std::vector<std::string>& TorchrunEnvNames() {
  static const std::vector<std::string> kNames = {
      "MASTER_ADDR",       "MASTER_PORT", "WORLD_SIZE",         "NODE_RANK",       "PET_MASTER_ADDR",
      "PET_MASTER_PORT",   "PET_NNODES",  "PET_NPROC_PER_NODE", "PET_NODE_RANK",   "PET_RDZV_BACKEND",
      "PET_RDZV_ENDPOINT", "PET_RDZV_ID", "PET_RDZV_CONF",      "PET_MAX_RESTARTS"};
  return kNames;
}

/// --nodes: N, or MIN:MAX (elastic) with the count to start at.
Status ReadNodes(const Values& v, const WorkloadRequest& r, TrainConfig& c) {
  const std::optional<std::string> text = v.String("nodes");
  if (!text || text->find(':') == std::string::npos) {
    auto nodes = v.Int("nodes", 1, kMaxNodes);
    if (!nodes.ok()) {
      return Usage(fmt::format("{}: expected N (1 to {}) or MIN:MAX (elastic, 1 <= MIN <= MAX <= {}), got '{}'",
                               v.Origin("nodes"), kMaxNodes, kMaxNodes, text.value_or("")));
    }
    c.nodes = static_cast<int>(nodes->value_or(1));
    return Ok();
  }
  const std::optional<NodeRange> range = ParseNodeRange(*text, kMaxNodes);
  if (!range) {
    return Usage(fmt::format("{}: expected N (1 to {}) or MIN:MAX (elastic, 1 <= MIN <= MAX <= {}), got '{}'",
                             v.Origin("nodes"), kMaxNodes, kMaxNodes, *text));
  }
  c.elastic = *range;
  const long long start = r.start_nodes.value_or(static_cast<int>(range->max));
  c.nodes = static_cast<int>(std::clamp<long long>(start, range->min, range->max));
  return Ok();
}

/// --rdzv-timeout / --rdzv-last-call-timeout: elastic only, whole seconds.
Result<long long> RendezvousSeconds(const Values& v, std::string_view key, const TrainConfig& c, long long fallback) {
  const std::optional<std::string> text = v.String(key);
  if (!text) return fallback;
  if (!c.elastic) {
    return Usage(fmt::format("{} is only used with --nodes MIN:MAX (elastic training)", v.Origin(key)));
  }
  auto parsed = ParseDuration(*text, v.Origin(key));
  if (!parsed.ok()) return Usage(parsed.error().message());
  if (parsed->count() < 1 || parsed->count() > 86400) {
    return Usage(fmt::format("{}: must be from 1s to 24h, got '{}'", v.Origin(key), *text));
  }
  return static_cast<long long>(parsed->count());
}

}  // namespace

std::span<const ValueSpec> TrainValueSpecs() { return kTrainValues; }

Result<TrainConfig> BuildTrainConfig(const WorkloadRequest& r) {
  const Values& v = r.values;
  TrainConfig c;
  LLM_RETURN_IF_ERROR(ReadNodes(v, r, c));
  // Elastic: an Indexed Job unless --backend says otherwise. A new JobSet
  // cannot be asked (a server dry run updates only what exists) whether its
  // webhook lets parallelism change (JobSet's ElasticJobSet gate), so
  // `scale --nodes` asks it before it patches.
  if (c.elastic && !r.backend) {
    c.backend = Backend::kIndexedJob;
  } else {
    LLM_ASSIGN_OR_RETURN(c.backend, ChooseTrainBackend(r.served, r.backend));
  }
  const bool jobset = c.backend == Backend::kJobSet;
  LLM_ASSIGN_OR_RETURN(c.gpus_per_node, IntOr(v, "gpusPerNode", 1, 64, 1));
  LLM_ASSIGN_OR_RETURN(c.master_port, IntOr(v, "masterPort", 1, 65535, 29500));
  LLM_ASSIGN_OR_RETURN(c.max_restarts, IntOr(v, "maxRestarts", 0, 1000, c.elastic ? 3 : 0));
  LLM_ASSIGN_OR_RETURN(c.rdzv_timeout, RendezvousSeconds(v, "rdzvTimeout", c, 900));
  LLM_ASSIGN_OR_RETURN(c.rdzv_last_call_timeout, RendezvousSeconds(v, "rdzvLastCallTimeout", c, 120));
  LLM_ASSIGN_OR_RETURN(c.ttl_after_finished, v.Int("ttlAfterFinished", 0, 100'000'000));
  LLM_ASSIGN_OR_RETURN(c.active_deadline, v.Int("activeDeadline", 1, 100'000'000));

  // JobSet names pods' hostnames NAME-node-0-<index>; an Indexed Job NAME-<index>.
  const size_t index_digits = std::to_string((c.elastic ? c.elastic->max : c.nodes) - 1).size();
  LLM_RETURN_IF_ERROR(jobset ? CheckWorkloadName(r.name, 8 + index_digits, "JobSet appends '-node-0-<index>'")
                             : CheckWorkloadName(r.name, 1 + index_digits, "the Indexed Job appends '-<index>'"));
  c.master_addr = jobset ? fmt::format("{}-node-0-0.{}", r.name, r.name) : fmt::format("{}-0.{}", r.name, r.name);
  c.meta = WorkloadMeta{r.name, r.namespace_, "torchrun", "train"};

  LLM_ASSIGN_OR_RETURN(std::optional<std::string> image, ImageReference(v, "image"));
  if (!image) return Usage("--image is required: the training image (e.g. nvcr.io/nvidia/pytorch:25.01-py3)");
  c.image = *image;
  c.command = r.trailing.empty() ? v.List("command") : r.trailing;
  if (c.command.empty()) return Usage("train needs the command to run after '--' (e.g. -- torchrun train.py)");
  c.trial = r.trial;

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
  if (c.elastic && !c.checkpoint) {
    // Every membership change (a scale, a lost node) restarts every worker;
    // without checkpoints on a volume all nodes share, the run starts over.
    return Usage(fmt::format(
        "{} {} is elastic training: it needs --checkpoint PVC:MOUNT, a volume every node mounts (ReadWriteMany), "
        "because each change of membership restarts all workers from the last checkpoint",
        v.Origin("nodes"), FormatNodeRange(*c.elastic)));
  }
  if (c.elastic && c.queue && jobset) {
    return Usage(
        fmt::format("{} with {} {} needs --backend indexed-job: Kueue resizes only batch Jobs (elastic "
                    "jobs through workload slices)",
                    v.Origin("queue"), v.Origin("nodes"), FormatNodeRange(*c.elastic)));
  }

  // train_view.cpp sets these for torchrun (tests keep the two lists equal).
  LLM_ASSIGN_OR_RETURN(c.env, UserEnv(v, "env", TorchrunEnvNames()));
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

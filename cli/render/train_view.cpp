// Lays a checked TrainConfig out as the view model of templates/train/.
#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "kube/well_known_names.h"
#include "render/train_config.h"

namespace llm {
namespace {

constexpr const char* kCompletionIndex = "metadata.annotations['batch.kubernetes.io/job-completion-index']";
// getent for glibc images, python3 otherwise: no extra image to pull.
constexpr const char* kWaitScript =
    "until getent hosts \"$MASTER_ADDR\" >/dev/null 2>&1 || python3 -c 'import os,socket; "
    "socket.getaddrinfo(os.environ[\"MASTER_ADDR\"], None)' >/dev/null 2>&1; do "
    "echo \"waiting for $MASTER_ADDR to resolve\"; sleep 2; done";

/// Elastic: torchrun's flags as the PET_* variables its launcher reads them
/// from (as the PyTorchJob operator sets them): the c10d rendezvous on index
/// 0's stable name, which hosts the store, with explicit timeouts. Ranks and
/// the world size come from each rendezvous round, so none is set here.
ViewData ElasticTorchrunEnv(const TrainConfig& c) {
  ViewData env = ViewList();
  ViewAppend(env, EnvValue("PET_NNODES", FormatNodeRange(*c.elastic)));
  ViewAppend(env, EnvValue("PET_NPROC_PER_NODE", std::to_string(c.gpus_per_node)));
  ViewAppend(env, EnvValue("PET_RDZV_BACKEND", "c10d"));
  ViewAppend(env, EnvValue("PET_RDZV_ENDPOINT", fmt::format("{}:{}", c.master_addr, c.master_port)));
  ViewAppend(env, EnvValue("PET_RDZV_ID", c.meta.name));
  ViewAppend(env, EnvValue("PET_RDZV_CONF",
                           fmt::format("timeout={},last_call_timeout={}", c.rdzv_timeout, c.rdzv_last_call_timeout)));
  ViewAppend(env, EnvValue("PET_MAX_RESTARTS", std::to_string(c.max_restarts)));
  for (const auto& [name, value] : c.env) ViewAppend(env, EnvValue(name, value));
  return env;
}

/// What torchrun reads to join the rendezvous, both under its classic names
/// and the PET_* ones its launcher takes flags from, then the user's env. The
/// rank is the pod's completion index, which both backends set.
ViewData TorchrunEnv(const TrainConfig& c) {
  if (c.elastic) return ElasticTorchrunEnv(c);
  ViewData env = ViewList();
  ViewAppend(env, EnvValue("MASTER_ADDR", c.master_addr));
  ViewAppend(env, EnvValue("MASTER_PORT", std::to_string(c.master_port)));
  ViewAppend(env, EnvValue("WORLD_SIZE", std::to_string(c.nodes * c.gpus_per_node)));
  ViewAppend(env, EnvField("NODE_RANK", kCompletionIndex));
  ViewAppend(env, EnvValue("PET_MASTER_ADDR", c.master_addr));
  ViewAppend(env, EnvValue("PET_MASTER_PORT", std::to_string(c.master_port)));
  ViewAppend(env, EnvValue("PET_NNODES", std::to_string(c.nodes)));
  ViewAppend(env, EnvValue("PET_NPROC_PER_NODE", std::to_string(c.gpus_per_node)));
  ViewAppend(env, EnvField("PET_NODE_RANK", kCompletionIndex));
  for (const auto& [name, value] : c.env) ViewAppend(env, EnvValue(name, value));
  return env;
}

ViewData MountView(const std::optional<VolumeClaimMount>& mount) {
  if (!mount) return ViewData(false);
  ViewData view;
  ViewSet(view, "claim", mount->claim);
  ViewSet(view, "mountPath", mount->mount_path);
  return view;
}

}  // namespace

RenderPlan TrainView(const TrainConfig& c) {
  const bool jobset = c.backend == Backend::kJobSet;
  RenderPlan plan;
  ViewData& view = plan.view;
  AddMetaView(c.meta, view);
  // A sweep's trial: its labels on the job and its pods, so `sweep status` finds both by one selector.
  std::vector<std::pair<std::string, std::string>> trial_labels;
  if (c.trial) {
    trial_labels = {{std::string(kSweepLabel), c.trial->sweep},
                    {std::string(kTrialLabel), std::to_string(c.trial->index)}};
  }
  AddWorkloadObjectView(c.meta, c.queue, view, trial_labels);
  std::vector<std::pair<std::string, std::string>> pod_labels = StandardLabels(c.meta);
  pod_labels.insert(pod_labels.end(), trial_labels.begin(), trial_labels.end());
  std::vector<std::pair<std::string, std::string>> annotations;
  std::vector<std::string> command = c.command;
  if (c.trial) {
    nlohmann::ordered_json params = nlohmann::ordered_json::object();
    for (const auto& [name, value] : c.trial->params) params[name] = value;
    annotations.emplace_back(std::string(kTrialParamsAnnotation), params.dump());
    annotations.emplace_back(std::string(kSweepMetricAnnotation), c.trial->metric);
    annotations.emplace_back(std::string(kSweepModeAnnotation), c.trial->maximize ? "max" : "min");
    command = TrialCommand(c.trial->metric, c.command);
  }
  ViewSet(view, "podLabels", ViewPairs(pod_labels));
  if (c.exclusive_topology) {
    annotations.emplace_back("alpha.jobset.sigs.k8s.io/exclusive-topology", *c.exclusive_topology);
  }
  if (c.elastic) {
    annotations.emplace_back(std::string(kElasticNodesAnnotation), FormatNodeRange(*c.elastic));
    // Kueue admits a queued job's size change as a new workload slice, where
    // its ElasticJobsViaWorkloadSlices gate is on (scale checks that it is).
    if (c.queue) annotations.emplace_back(std::string(kKueueElasticJobAnnotation), "true");
  }
  std::sort(annotations.begin(), annotations.end());
  ViewSet(view, "hasAnnotations", !annotations.empty());
  ViewSet(view, "annotations", ViewPairs(annotations));
  ViewSet(view, "nodes", ViewInt(c.nodes));
  ViewSet(view, "gpus", ViewInt(c.gpus_per_node));
  ViewSet(view, "masterPort", ViewInt(c.master_port));
  ViewSet(view, "maxRestarts", ViewInt(c.max_restarts));
  // JobSet: a static group's failed pod fails its Job, and JobSet restarts the
  // group; an elastic group replaces the pod, which rejoins the rendezvous.
  ViewSet(view, "jobBackoffLimit", ViewInt(c.elastic ? c.max_restarts : 0));
  ViewSet(view, "elastic", c.elastic.has_value());
  ViewSet(view, "ttlAfterFinished", ViewOptionalInt(c.ttl_after_finished));
  ViewSet(view, "activeDeadline", ViewOptionalInt(c.active_deadline));
  ViewSet(view, "subdomain", jobset ? ViewData(false) : ViewData(c.meta.name));  // JobSet sets its own
  ViewSet(view, "image", c.image);
  ViewSet(view, "command", ViewStrings(command));
  ViewSet(view, "waitCommand", ViewStrings({"/bin/sh", "-c", kWaitScript}));
  ViewSet(view, "masterAddr", c.master_addr);
  ViewSet(view, "hasEnv", true);
  ViewSet(view, "env", TorchrunEnv(c));
  ViewSet(view, "cpu", ViewOptional(c.cpu));
  ViewSet(view, "memory", ViewOptional(c.memory));
  ViewSet(view, "shmSize", c.shm_size);
  ViewSet(view, "data", MountView(c.data));
  ViewSet(view, "checkpoint", MountView(c.checkpoint));
  AddSchedulingView(c.scheduling, view);

  if (jobset) {
    plan.templates = {"train/jobset.yaml"};
  } else {
    plan.templates = {"train/headless-service.yaml", "train/job.yaml"};
  }
  return plan;
}

}  // namespace llm

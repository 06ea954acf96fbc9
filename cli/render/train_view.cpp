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
  env.push_back(EnvValue("PET_NNODES", FormatNodeRange(*c.elastic)));
  env.push_back(EnvValue("PET_NPROC_PER_NODE", std::to_string(c.gpus_per_node)));
  env.push_back(EnvValue("PET_RDZV_BACKEND", "c10d"));
  env.push_back(EnvValue("PET_RDZV_ENDPOINT", fmt::format("{}:{}", c.master_addr, c.master_port)));
  env.push_back(EnvValue("PET_RDZV_ID", c.meta.name));
  env.push_back(EnvValue("PET_RDZV_CONF",
                         fmt::format("timeout={},last_call_timeout={}", c.rdzv_timeout, c.rdzv_last_call_timeout)));
  env.push_back(EnvValue("PET_MAX_RESTARTS", std::to_string(c.max_restarts)));
  for (const auto& [name, value] : c.env) env.push_back(EnvValue(name, value));
  return env;
}

/// What torchrun reads to join the rendezvous, both under its classic names
/// and the PET_* ones its launcher takes flags from, then the user's env. The
/// rank is the pod's completion index, which both backends set.
ViewData TorchrunEnv(const TrainConfig& c) {
  if (c.elastic) return ElasticTorchrunEnv(c);
  ViewData env = ViewList();
  env.push_back(EnvValue("MASTER_ADDR", c.master_addr));
  env.push_back(EnvValue("MASTER_PORT", std::to_string(c.master_port)));
  env.push_back(EnvValue("WORLD_SIZE", std::to_string(c.nodes * c.gpus_per_node)));
  env.push_back(EnvField("NODE_RANK", kCompletionIndex));
  env.push_back(EnvValue("PET_MASTER_ADDR", c.master_addr));
  env.push_back(EnvValue("PET_MASTER_PORT", std::to_string(c.master_port)));
  env.push_back(EnvValue("PET_NNODES", std::to_string(c.nodes)));
  env.push_back(EnvValue("PET_NPROC_PER_NODE", std::to_string(c.gpus_per_node)));
  env.push_back(EnvField("PET_NODE_RANK", kCompletionIndex));
  for (const auto& [name, value] : c.env) env.push_back(EnvValue(name, value));
  return env;
}

ViewData MountView(const std::optional<VolumeClaimMount>& mount) {
  if (!mount) return ViewData(false);
  ViewData view;
  view.set("claim", mount->claim);
  view.set("mountPath", mount->mount_path);
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
  view.set("podLabels", ViewPairs(pod_labels));
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
  view.set("hasAnnotations", !annotations.empty());
  view.set("annotations", ViewPairs(annotations));
  view.set("nodes", ViewInt(c.nodes));
  view.set("gpus", ViewInt(c.gpus_per_node));
  view.set("masterPort", ViewInt(c.master_port));
  view.set("maxRestarts", ViewInt(c.max_restarts));
  // JobSet: a static group's failed pod fails its Job, and JobSet restarts the
  // group; an elastic group replaces the pod, which rejoins the rendezvous.
  view.set("jobBackoffLimit", ViewInt(c.elastic ? c.max_restarts : 0));
  view.set("elastic", c.elastic.has_value());
  view.set("ttlAfterFinished", ViewOptionalInt(c.ttl_after_finished));
  view.set("activeDeadline", ViewOptionalInt(c.active_deadline));
  view.set("subdomain", jobset ? ViewData(false) : ViewData(c.meta.name));  // JobSet sets its own
  view.set("image", c.image);
  view.set("command", ViewStrings(command));
  view.set("waitCommand", ViewStrings({"/bin/sh", "-c", kWaitScript}));
  view.set("masterAddr", c.master_addr);
  view.set("hasEnv", true);
  view.set("env", TorchrunEnv(c));
  view.set("cpu", ViewOptional(c.cpu));
  view.set("memory", ViewOptional(c.memory));
  view.set("shmSize", c.shm_size);
  view.set("data", MountView(c.data));
  view.set("checkpoint", MountView(c.checkpoint));
  AddSchedulingView(c.scheduling, view);

  if (jobset) {
    plan.templates = {"train/jobset.yaml"};
  } else {
    plan.templates = {"train/headless-service.yaml", "train/job.yaml"};
  }
  return plan;
}

}  // namespace llm

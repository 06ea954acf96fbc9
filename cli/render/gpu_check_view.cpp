// Lays a checked GpuCheckConfig out as the view model of templates/gpu-check/.
#include <fmt/format.h>

#include "render/gpu_check_config.h"

namespace llm {
namespace {

/// NCCL_COMM_ID's port on pod 0 (any free port in the pod's own network namespace).
constexpr int kNcclBootstrapPort = 29600;

/// Waits until pod 0's name resolves (the init container of the multi-node pods).
constexpr const char* kWaitForRank0 =
    "until getent hosts \"$RANK0_HOST\" >/dev/null 2>&1; do echo \"waiting for $RANK0_HOST to resolve\"; sleep 1; done";

std::vector<std::string> CheckArgs(const GpuCheckConfig& c) {
  std::vector<std::string> args = {"--profile", c.profile, "--expect-gpus", std::to_string(c.gpus)};
  if (c.multi_node()) args.insert(args.end(), {"--tests", "nccl"});
  args.insert(args.end(), {"--json", "/results/result.json"});
  return args;
}

ViewData CheckEnv(const GpuCheckConfig& c) {
  ViewData env = ViewList();
  env.push_back(EnvField("NODE_NAME", "spec.nodeName"));
  env.push_back(EnvField("POD_NAME", "metadata.name"));
  env.push_back(EnvField("POD_NAMESPACE", "metadata.namespace"));
  if (c.multi_node()) {
    // The rank comes from JOB_COMPLETION_INDEX, which the Job controller sets.
    env.push_back(EnvValue("LLM_GPU_CHECK_WORLD_SIZE", std::to_string(c.nccl_nodes.size())));
    env.push_back(EnvValue("NCCL_COMM_ID", fmt::format("{}:{}", c.rank0_host, kNcclBootstrapPort)));
  }
  return env;
}

}  // namespace

RenderPlan GpuCheckView(const GpuCheckConfig& c) {
  RenderPlan plan;
  ViewData& view = plan.view;
  AddMetaView(c.meta, view);
  view.set("node", ViewOptional(c.node));
  view.set("image", c.image);
  view.set("args", ViewStrings(CheckArgs(c)));
  view.set("hasEnv", true);
  view.set("env", CheckEnv(c));
  view.set("gpus", ViewInt(c.gpus));
  view.set("cpu", c.cpu);
  view.set("memory", c.memory);
  view.set("shmSize", c.shm_size);
  AddSchedulingView(c.scheduling, view);
  view.set("multiNode", c.multi_node());
  if (!c.multi_node()) {
    view.set("podActiveDeadline", ViewInt(c.active_deadline));
    plan.templates = {"gpu-check/pod.yaml"};
    return plan;
  }
  view.set("podActiveDeadline", false);  // the Job's deadline covers both pods
  view.set("activeDeadline", ViewInt(c.active_deadline));
  view.set("worldSize", ViewInt(static_cast<long long>(c.nccl_nodes.size())));
  view.set("ncclNodes", ViewStrings(c.nccl_nodes));
  view.set("ncclPort", ViewInt(kNcclBootstrapPort));
  view.set("rank0Host", c.rank0_host);
  view.set("waitCommand", ViewStrings({"/bin/sh", "-c", kWaitForRank0}));
  plan.templates = {"gpu-check/nccl-service.yaml", "gpu-check/nccl-job.yaml"};
  return plan;
}

}  // namespace llm

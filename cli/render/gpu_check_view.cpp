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
  ViewAppend(env, EnvField("NODE_NAME", "spec.nodeName"));
  ViewAppend(env, EnvField("POD_NAME", "metadata.name"));
  ViewAppend(env, EnvField("POD_NAMESPACE", "metadata.namespace"));
  if (c.multi_node()) {
    // The rank comes from JOB_COMPLETION_INDEX, which the Job controller sets.
    ViewAppend(env, EnvValue("LLM_GPU_CHECK_WORLD_SIZE", std::to_string(c.nccl_nodes.size())));
    ViewAppend(env, EnvValue("NCCL_COMM_ID", fmt::format("{}:{}", c.rank0_host, kNcclBootstrapPort)));
  }
  return env;
}

}  // namespace

RenderPlan GpuCheckView(const GpuCheckConfig& c) {
  RenderPlan plan;
  ViewData& view = plan.view;
  AddMetaView(c.meta, view);
  ViewSet(view, "node", ViewOptional(c.node));
  ViewSet(view, "image", c.image);
  ViewSet(view, "args", ViewStrings(CheckArgs(c)));
  ViewSet(view, "hasEnv", true);
  ViewSet(view, "env", CheckEnv(c));
  ViewSet(view, "gpus", ViewInt(c.gpus));
  ViewSet(view, "cpu", c.cpu);
  ViewSet(view, "memory", c.memory);
  ViewSet(view, "shmSize", c.shm_size);
  AddSchedulingView(c.scheduling, view);
  ViewSet(view, "multiNode", c.multi_node());
  if (!c.multi_node()) {
    ViewSet(view, "podActiveDeadline", ViewInt(c.active_deadline));
    plan.templates = {"gpu-check/pod.yaml"};
    return plan;
  }
  ViewSet(view, "podActiveDeadline", false);  // the Job's deadline covers both pods
  ViewSet(view, "activeDeadline", ViewInt(c.active_deadline));
  ViewSet(view, "worldSize", ViewInt(static_cast<long long>(c.nccl_nodes.size())));
  ViewSet(view, "ncclNodes", ViewStrings(c.nccl_nodes));
  ViewSet(view, "ncclPort", ViewInt(kNcclBootstrapPort));
  ViewSet(view, "rank0Host", c.rank0_host);
  ViewSet(view, "waitCommand", ViewStrings({"/bin/sh", "-c", kWaitForRank0}));
  plan.templates = {"gpu-check/nccl-service.yaml", "gpu-check/nccl-job.yaml"};
  return plan;
}

}  // namespace llm

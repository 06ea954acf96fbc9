// The command table: one row per subcommand. A new command is one file in
// commands/ plus one row here.
#include "commands/command.h"
#include "commands/completion_command.h"
#include "commands/delete_command.h"
#include "commands/diff_command.h"
#include "commands/doctor_command.h"
#include "commands/history_command.h"
#include "commands/logs_command.h"
#include "commands/metrics_command.h"
#include "commands/nodes_command.h"
#include "commands/render_command.h"
#include "commands/rollback_command.h"
#include "commands/scale_command.h"
#include "commands/status_command.h"
#include "commands/sweep_command.h"
#include "commands/tenant_command.h"
#include "commands/test_command.h"
#include "commands/validate_nodes_command.h"
#include "commands/version_command.h"
#include "commands/workload_apply_command.h"

namespace llm {

std::span<const CommandSpec> AllCommands() {
  static const CommandSpec kCommands[] = {
      {"serve", "Deploy", "Serve a model: render, check, apply and (with --wait) follow it", &SetupServeCommand,
       R"(Examples:
  # One GPU, vLLM, wait until it answers
  kubectl llm serve chat --model Qwen/Qwen2.5-0.5B-Instruct --gpus 1 --wait
  # 70B over two nodes of 8 GPUs (a LeaderWorkerSet), on validated nodes only
  kubectl llm serve big --model meta-llama/Llama-3.1-70B-Instruct --gpus 8 --nodes 2 --require-validated=24h
  # Autoscaled by KEDA on the engine's queue, with a PodMonitor and a Grafana dashboard
  kubectl llm serve chat --model Qwen/Qwen2.5-7B-Instruct --autoscale 1:8 --autoscale-metric queue=5 --monitor --dashboard
)"},
      {"train", "Deploy", "Train: render, check, apply and (with --wait) follow the job", &SetupTrainCommand,
       R"(Examples:
  # Two nodes of 8 GPUs, torchrun; wait for the job to finish
  kubectl llm train t --image reg/train:1 --nodes 2 --gpus-per-node 8 --wait -- torchrun train.py
  # Elastic: between 2 and 8 nodes, starting with what fits, checkpoints on a claim
  kubectl llm train t --image reg/train:1 --nodes 2:8 --gpus-per-node 8 --checkpoint ckpt:/ckpt -- torchrun train.py
)"},
      {"sweep", "Deploy", "Hyperparameter sweep: trials as training jobs, run P at a time or queued, best first",
       &SetupSweepCommand,
       R"(Examples:
  # 3 learning rates x 2 random weight decays, 2 trials at a time, lowest val_loss first
  kubectl llm sweep lr --image reg/train:1 --param lr=1e-4,3e-4,1e-3 --param wd=loguniform:1e-5:1e-1 --trials 2 \
    --parallel 2 --metric val_loss --mode min -- torchrun train.py --lr {lr} --weight-decay {wd}
  # Every trial queued in Kueue, which admits them as quota frees
  kubectl llm sweep lr --image reg/train:1 --param lr=1e-4,1e-3 --queue team-a --metric val_loss -- python train.py --lr {lr}
  # The trials best first, rebuilt from the cluster (also after Ctrl-C or on another machine)
  kubectl llm sweep status lr
)"},
      {"render", "Deploy", "Print the manifests of serve, train or gpu-check, without a cluster", &SetupRenderCommand,
       R"(Examples:
  kubectl llm render serve chat --model Qwen/Qwen2.5-0.5B-Instruct --gpus 1
  kubectl llm render train t --image reg/train:1 --nodes 2 -o json -- torchrun train.py
)"},
      {"diff", "Deploy", "Show what serve or train would change in the cluster, or what changed between revisions",
       &SetupDiffCommand,
       R"(Examples:
  kubectl llm diff serve chat --model Qwen/Qwen2.5-0.5B-Instruct --gpus 2
  kubectl llm diff chat --revision 3..5
)"},
      {"delete", "Deploy",
       "Delete a workload: every object its ApplySet holds (claims holding data are kept), then the set",
       &SetupDeleteCommand,
       R"(Examples:
  kubectl llm delete chat
  kubectl llm delete chat --dry-run=server
  kubectl llm delete t --delete-data --keep-history
)"},
      {"rollback", "Deploy", "Return a workload to an earlier revision's objects, recorded as a new revision",
       &SetupRollbackCommand,
       R"(Examples:
  kubectl llm rollback chat
  kubectl llm rollback chat 3 --wait
)"},
      {"status", "Operate", "Show the workloads made by kubectl-llm, or one of them", &SetupStatusCommand,
       R"(Examples:
  kubectl llm status -A -o wide
  kubectl llm status chat -o json
  kubectl llm status -l team=ml --sort-by .metadata.creationTimestamp -w
)"},
      {"list", "Operate", "List the workloads made by kubectl-llm", &SetupListCommand},
      {"scale", "Operate", "Set a served model's replicas, or its autoscaler's bounds", &SetupScaleCommand,
       R"(Examples:
  kubectl llm scale chat --replicas 3
  kubectl llm scale chat --min 1 --max 8
  kubectl llm scale t --nodes 6 --wait
)"},
      {"logs", "Operate", "Print the logs of every pod of a workload, prefixed by rank or role", &SetupLogsCommand,
       R"(Examples:
  kubectl llm logs t -f --tail 20
  kubectl llm logs t --rank 3 --since 10m
  kubectl llm logs chat -p --all-containers --timestamps
)"},
      {"history", "Operate", "Show a workload's revisions: who changed it, how, when, and with what outcome",
       &SetupHistoryCommand,
       R"(Examples:
  kubectl llm history chat
  kubectl llm history chat -o wide --max 20
)"},
      {"test", "Operate",
       "Smoke-test a served model through the API server: endpoints, health, models, completion, stream",
       &SetupTestCommand,
       R"(Examples:
  kubectl llm test chat
  kubectl llm test chat --ttft-budget 500ms
)"},
      {"metrics", "Operate",
       "Show what the engine of each serving pod reports: queue, KV cache, token rates, TTFT and latency",
       &SetupMetricsCommand,
       R"(Examples:
  kubectl llm metrics chat -w
  kubectl llm metrics chat --check
)"},
      {"nodes", "Nodes", "Show GPU nodes: GPUs allocatable, used and free, validation state", &SetupNodesCommand,
       R"(Examples:
  kubectl llm nodes -o wide
  kubectl llm nodes -l nvidia.com/gpu.product=NVIDIA-H100-80GB-HBM3 -w
)"},
      {"validate-nodes", "Nodes", "Run the GPU self-test on nodes and record the verdicts", &SetupValidateNodesCommand,
       R"(Examples:
  kubectl llm validate-nodes --record
  kubectl llm validate-nodes gpu-node-0 gpu-node-1 --profile full --report nodes.html
)"},
      {"doctor", "Nodes",
       "Check the cluster and your permissions for serve, train and validate-nodes (exit 1 on a failure)",
       &SetupDoctorCommand,
       R"(Examples:
  kubectl llm doctor
  kubectl llm doctor --print-rbac -n team-a
)"},
      {"tenant", "Tenants",
       "Share GPUs safely between teams: namespaces with quotas, limits, network policies, RBAC and Kueue queues",
       &SetupTenantCommand},
      {"version", "Other", "Print the plugin and server versions", &SetupVersionCommand},
      {"completion", "Other", "Print a shell completion script (bash, zsh or fish)", &SetupCompletionCommand,
       R"(Examples:
  source <(kubectl llm completion bash)
)"},
  };
  return kCommands;
}

}  // namespace llm

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
#include "commands/tenant_command.h"
#include "commands/test_command.h"
#include "commands/validate_nodes_command.h"
#include "commands/version_command.h"
#include "commands/workload_apply_command.h"

namespace llm {

std::span<const CommandSpec> AllCommands() {
  static const CommandSpec kCommands[] = {
      {"serve", "Serve a model: render, check, apply and (with --wait) follow it", &SetupServeCommand},
      {"train", "Train: render, check, apply and (with --wait) follow the job", &SetupTrainCommand},
      {"delete", "Delete a workload: every object its ApplySet holds (claims holding data are kept), then the set",
       &SetupDeleteCommand},
      {"diff", "Show what serve or train would change in the cluster, or what changed between revisions",
       &SetupDiffCommand},
      {"history", "Show a workload's revisions: who changed it, how, when, and with what outcome",
       &SetupHistoryCommand},
      {"rollback", "Return a workload to an earlier revision's objects, recorded as a new revision",
       &SetupRollbackCommand},
      {"render", "Print the manifests of serve, train or gpu-check, without a cluster", &SetupRenderCommand},
      {"status", "Show the workloads made by kubectl-llm, or one of them", &SetupStatusCommand},
      {"list", "List the workloads made by kubectl-llm", &SetupListCommand},
      {"scale", "Set a served model's replicas, or its autoscaler's bounds", &SetupScaleCommand},
      {"logs", "Print the logs of every pod of a workload, prefixed by rank or role", &SetupLogsCommand},
      {"test", "Smoke-test a served model through the API server: endpoints, health, models, completion, stream",
       &SetupTestCommand},
      {"metrics", "Show what the engine of each serving pod reports: queue, KV cache, token rates, TTFT and latency",
       &SetupMetricsCommand},
      {"nodes", "Show GPU nodes: GPUs allocatable, used and free, validation state", &SetupNodesCommand},
      {"doctor", "Check the cluster and your permissions for serve, train and validate-nodes (exit 1 on a failure)",
       &SetupDoctorCommand},
      {"tenant",
       "Share GPUs safely between teams: namespaces with quotas, limits, network policies, RBAC and Kueue queues",
       &SetupTenantCommand},
      {"validate-nodes", "Run the GPU self-test on nodes and record the verdicts", &SetupValidateNodesCommand},
      {"version", "Print the plugin and server versions", &SetupVersionCommand},
      {"completion", "Print a shell completion script (bash, zsh or fish)", &SetupCompletionCommand},
  };
  return kCommands;
}

}  // namespace llm

#include "commands/tenant_command.h"

#include <functional>
#include <memory>

#include <CLI/CLI.hpp>

#include "commands/cluster_session.h"
#include "commands/command_flags.h"
#include "commands/root_command.h"
#include "tenant/tenant_config.h"

namespace llm {
namespace {

using tenant::CheckTeamName;
using tenant::TenantFlags;

void RunInSession(CommandContext& ctx, const std::function<Status(ClusterSession&)>& run) {
  auto session = ClusterSession::Open(ctx.global.kube, ctx.streams);
  if (!session.ok()) return ctx.Finish(session.error());
  ctx.Finish(run(**session));
}

void AddApplyFlags(CLI::App* cmd, TenantApplyOptions& options) {
  AddDryRunFlag(cmd, options.dry_run, kTenantApplyDryRuns,
                "client prints what would be applied, writing nothing; server has the server check it all");
  AddOutputFlag(cmd, options.output, kTenantApplyOutputs, "one line per object applied");
}

}  // namespace

void SetupTenantCommand(CLI::App* cmd, CommandContext& ctx) {
  cmd->require_subcommand(1);

  CLI::App* init = cmd->add_subcommand(
      "init",
      "Make the cluster-wide pieces once: PriorityClasses, and where Kueue is served a ResourceFlavor per GPU "
      "product and the cohort tenants borrow in");
  auto init_options = std::make_shared<TenantApplyOptions>();
  AddApplyFlags(init, *init_options);
  init->callback([init_options, &ctx] {
    Status valid = ValidateTenantApplyOptions(*init_options);
    if (!valid.ok()) return ctx.Finish(valid);
    RunInSession(ctx, [&](ClusterSession& session) { return RunTenantInit(*init_options, session, ctx.streams); });
  });

  CLI::App* create = cmd->add_subcommand(
      "create", "Make (or update) a tenant: namespace, quota, limits, network policies, RBAC and Kueue queues");
  auto flags = std::make_shared<TenantFlags>();
  auto create_options = std::make_shared<TenantApplyOptions>();
  create->add_option("TEAM", flags->team, "The tenant's name, which is also its namespace")->required();
  create->add_option("--gpus", flags->gpus, "GPUs the tenant may request (ResourceQuota, Kueue nominal quota)");
  create
      ->add_option("--gpu-product", flags->gpu_products,
                   "PRODUCT=N: N of the GPUs are of this product (repeatable; they add up to --gpus)")
      ->allow_extra_args(false);
  create->add_option("--max-gpus-per-pod", flags->max_gpus_per_pod,
                     "The most GPUs one container may request (LimitRange)");
  create->add_option("--cpu", flags->cpu, "CPU requests quota (e.g. 64)");
  create->add_option("--memory", flags->memory, "Memory requests quota (e.g. 512Gi)");
  create->add_option("--storage", flags->storage, "Storage requests quota for PersistentVolumeClaims (e.g. 2Ti)");
  create->add_option("--pods", flags->pods, "Pods quota");
  create
      ->add_option("--member", flags->members,
                   "user:NAME, group:NAME or serviceaccount:NS/NAME, bound to the least-privilege Role "
                   "kubectl-llm-user (repeatable)")
      ->allow_extra_args(false);
  create
      ->add_option("--allow-from", flags->allow_from, "A namespace whose pods may reach the served models (repeatable)")
      ->allow_extra_args(false);
  create
      ->add_option("--monitoring-namespace", flags->monitoring_namespace,
                   "The namespace that may scrape the served models' metrics port")
      ->default_str(flags->monitoring_namespace);
  create->add_option("--pod-security", flags->pod_security, "Pod Security level enforced: baseline or restricted")
      ->default_str(flags->pod_security);
  create->add_option("--borrow-limit", flags->borrow_limit,
                     "GPUs the tenant may borrow from other tenants' idle quota (Kueue cohort; default 0)");
  create->add_option("--priority", flags->priority,
                     "The PriorityClass serve and train use by default in the tenant: serving, training or experiment");
  AddApplyFlags(create, *create_options);
  create->callback([flags, create_options, &ctx] {
    // Bad input is refused before the cluster is contacted.
    Status valid = ValidateTenantApplyOptions(*create_options);
    if (valid.ok()) {
      auto config = BuildTenantConfig(*flags);
      if (!config.ok()) valid = config.error();
    }
    if (!valid.ok()) return ctx.Finish(valid);
    RunInSession(
        ctx, [&](ClusterSession& session) { return RunTenantCreate(*flags, *create_options, session, ctx.streams); });
  });

  CLI::App* remove = cmd->add_subcommand(
      "delete",
      "Delete a tenant: exactly what tenant create made (its namespace with it); refused while it runs "
      "workloads unless --force");
  auto delete_options = std::make_shared<TenantDeleteOptions>();
  remove->add_option("TEAM", delete_options->team, "The tenant")->required();
  remove->add_flag("--force", delete_options->force,
                   "Delete even while pods run or claims hold data in the namespace (they are deleted with it)");
  remove->add_flag("--wait", delete_options->wait, "Wait until every object is gone");
  remove->add_option("--timeout", delete_options->timeout, "How long --wait waits (e.g. 30s, 10m)");
  remove->callback([delete_options, &ctx] {
    Status valid = CheckTeamName(delete_options->team);
    if (!valid.ok()) return ctx.Finish(valid);
    RunInSession(ctx, [&](ClusterSession& session) {
      return RunTenantDelete(*delete_options, session, ctx.streams, ctx.error_exit_code);
    });
  });

  CLI::App* list = cmd->add_subcommand("list",
                                       "List tenants: GPUs used/quota, pods, workloads, queue pending/admitted, "
                                       "borrowed GPUs");
  auto list_options = std::make_shared<TenantStatusOptions>();
  AddOutputFlag(list, list_options->output, kTenantStatusOutputs);
  list->callback([list_options, &ctx] {
    // A bad -o is a usage error before any connection, as everywhere else.
    if (auto format = ParseOutputFormat(list_options->output, kTenantStatusOutputs); !format.ok()) {
      return ctx.Finish(format.error());
    }
    RunInSession(ctx, [&](ClusterSession& session) { return RunTenantStatus(*list_options, session, ctx.streams); });
  });

  CLI::App* status = cmd->add_subcommand("status", "Show one tenant: its quota's use, pods, workloads and queue");
  auto status_options = std::make_shared<TenantStatusOptions>();
  status->add_option("TEAM", status_options->team, "The tenant")->required();
  AddOutputFlag(status, status_options->output, kTenantStatusOutputs);
  status->callback([status_options, &ctx] {
    Status valid = CheckTeamName(status_options->team);
    if (!valid.ok()) return ctx.Finish(valid);
    if (auto format = ParseOutputFormat(status_options->output, kTenantStatusOutputs); !format.ok()) {
      return ctx.Finish(format.error());
    }
    RunInSession(ctx, [&](ClusterSession& session) { return RunTenantStatus(*status_options, session, ctx.streams); });
  });

  CLI::App* verify =
      cmd->add_subcommand("verify", "Prove the tenant's isolation from the cluster's own answers (exit 1 on any hole)");
  auto team = std::make_shared<std::string>();
  verify->add_option("TEAM", *team, "The tenant")->required();
  verify->callback([team, &ctx] {
    Status valid = CheckTeamName(*team);
    if (!valid.ok()) return ctx.Finish(valid);
    RunInSession(ctx, [&](ClusterSession& session) { return RunTenantVerify(*team, session, ctx.streams); });
  });

  for (CLI::App* sub : {init, create, remove, list, status, verify}) sub->fallthrough();
}

}  // namespace llm

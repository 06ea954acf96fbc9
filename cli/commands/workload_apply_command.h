// `kubectl llm serve|train NAME [flags]`: render (the same flags and pipeline
// as `render`, with the backend chosen by what the cluster serves), preflight,
// apply as an ApplySet named NAME in the target namespace, print one line per
// object as kubectl apply does, and with --wait follow it until it is ready.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "commands/command.h"
#include "commands/render_command.h"
#include "kube/applier.h"
#include "kube/config_flags.h"
#include "output/terminal.h"

namespace llm {

class ClusterSession;

/// kubectl apply's --field-manager and --force-conflicts, shared by serve,
/// train and diff.
struct FieldOwnershipFlags {
  std::string field_manager = "kubectl-llm";
  bool force_conflicts = false;

  void AddTo(CLI::App& cmd);
  Status Validate() const;
};

/// The ApplierOptions of serve/train/diff: the workload's ApplySet in the
/// session's namespace, an explicit -n enforced on every object as kubectl
/// does, and the ownership flags.
kube::ApplierOptions WorkloadApplyApplierOptions(const ClusterSession& session, const FieldOwnershipFlags& ownership,
                                                 bool dry_run);

struct WorkloadApplyOptions {
  RenderOptions render;          ///< NAME, value flags, -f, --set, --patch, --templates, --backend
  std::string output;            ///< -o: "" (one line per object), yaml, json, name
  std::string dry_run = "none";  ///< none, client, server
  bool skip_preflight = false;
  bool wait = false;
  std::string timeout = "10m";
  FieldOwnershipFlags ownership;
  /// Revisions kept per workload (0: every one); see commands/workload_revisions.h.
  int history_max = 10;
  bool rollback_on_failure = false;  ///< with --wait: a failed wait re-applies the previous deployed revision
  /// The whole command line (without the program name), recorded redacted.
  std::vector<std::string> command_args;
};

Status ValidateWorkloadApplyOptions(const WorkloadApplyOptions& options);

/// Runs serve/train. `error_exit_code` is set for --wait's failures
/// (kExitWorkloadFailed, kExitTimedOut). `progress` receives --wait's display.
Status RunWorkloadApply(const WorkloadApplyOptions& options, const kube::ConfigFlags& flags, IoStreams streams,
                        Terminal& progress, std::optional<int>& error_exit_code);

/// In a tenant's namespace (`tenant create`), its LocalQueue and PriorityClass
/// become serve's and train's defaults: flags, --set and -f still win.
void AddTenantDefaults(kube::RestClient& client, const std::string& ns, RenderRequest& request);
/// serve --monitor: labels the rendered PodMonitor (when `manifests` hold one)
/// for the Prometheus that will select it, rendering again with them so they
/// pass the same checks; `notes` gets which Prometheus picks it up, `warnings`
/// why none will. serve and diff both call it, so diff shows what serve applies.
Status PlaceRenderedPodMonitor(ClusterSession& session, RenderOptions& render, std::vector<Json>& manifests,
                               std::vector<std::string>& notes, std::vector<std::string>& warnings);
/// --autoscale-metric: a rendered ScaledObject whose Prometheus the user did
/// not give (--prometheus-url, --set or a values file) asks the one found in
/// the cluster (FindScaledObjectPrometheus), rendering `manifests` again;
/// `notes` says which, `warnings` why none was found (the built-in address is
/// kept). serve and diff both call it.
Status PlaceScaledObjectPrometheus(ClusterSession& session, RenderOptions& render, std::vector<Json>& manifests,
                                   std::vector<std::string>& notes, std::vector<std::string>& warnings);
/// train --nodes MIN:MAX applied again: the size the live job runs (where it
/// started, or what `scale --nodes` set) is kept, clamped to the bounds now
/// given, rendering `manifests` again with it (as serve keeps a scaled replica
/// count); `notes` says so when the bounds moved it. serve, train and diff call
/// it, so diff shows what train applies. True when a live elastic job was found.
Result<bool> KeepLiveElasticSize(ClusterSession& session, RenderOptions& render, std::vector<Json>& manifests,
                                 std::vector<std::string>& notes);
/// The line saying which tenant defaults a render used ("" when none).
std::string TenantDefaultsNote(const RenderRequest& request, const std::set<std::string>& used);

void SetupServeCommand(CLI::App* cmd, CommandContext& ctx);
void SetupTrainCommand(CLI::App* cmd, CommandContext& ctx);

/// Registers the flags serve and train share with `diff serve|train` (render's
/// flags plus --backend, and for train kubectl's connection flags into
/// `global.kube`, as GlobalOptions::AddConnectionFlags registers them) on `cmd`.
void AddApplyWorkloadFlags(CLI::App& cmd, const WorkloadSpec& workload, RenderOptions& options, GlobalOptions& global);

}  // namespace llm

// `kubectl llm sweep NAME [train flags] --param ... --metric M [--mode min|max]
// [--trials N] [--parallel P] [--seed S] [--queue Q] -- COMMAND {param}...`:
// a hyperparameter sweep. Each trial is an ordinary training job, rendered by
// train's own code as NAME-1, NAME-2 ... with its parameters filled into the
// command, labelled with the sweep and its number, all members of one
// ApplySet NAME (so `kubectl llm delete NAME` removes the whole sweep). The
// plugin keeps at most --parallel trials running, starting the next as one
// ends; with --queue every trial is created at once, suspended, and Kueue
// admits them as quota frees. It follows the trials until every one ended,
// saying each start and result, then prints them best first. Running it again
// resumes: it creates only the trials that do not exist yet (Ctrl-C loses
// nothing). `sweep status NAME [-o json]` rebuilds the table from the cluster.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "commands/command.h"
#include "commands/render_command.h"
#include "commands/workload_apply_command.h"
#include "kube/applier.h"
#include "kube/rest_client.h"
#include "kube/rest_mapper.h"
#include "render/sweep_trial.h"
#include "util/clock.h"

namespace llm {

struct SweepOptions {
  RenderOptions render;             ///< NAME, train's value flags, -f, --set, --patch, --templates, the command
  std::vector<std::string> params;  ///< --param, in order
  int trials = 1;                   ///< --trials: samples of the distributions per grid point
  int parallel = 1;                 ///< --parallel: trials running at once (without --queue)
  std::optional<uint64_t> seed;     ///< --seed; DefaultSweepSeed(NAME) when absent
  std::string metric;               ///< --metric
  std::string mode = "min";         ///< --mode
  bool skip_preflight = false;
  FieldOwnershipFlags ownership;
  /// How often the trials are looked at while the sweep runs.
  std::chrono::milliseconds poll_interval{2000};
};

/// A trial as drawn: what render needs, and its command with the parameters filled in.
struct PlannedTrial {
  SweepTrial trial;
  std::vector<std::string> command;
};

/// Checks every flag and draws the trials: usage errors name the flag, and
/// nothing reaches the cluster.
Result<std::vector<PlannedTrial>> PlanSweep(const SweepOptions& options);

/// What a sweep needs of the cluster (ClusterSession's parts, fakes in tests).
struct SweepCluster {
  kube::RestClient& client;
  kube::RestMapper& mapper;
  kube::Applier& applier;
  std::string ns;
  bool namespace_explicit = false;
  ServedKinds served;
  Clock& clock;
};

/// Runs the sweep. `error_exit_code` is kExitWorkloadFailed when no trial completed.
Status RunSweep(const SweepOptions& options, SweepCluster& cluster, IoStreams streams,
                std::optional<int>& error_exit_code);

/// `sweep status NAME`: the trials best first (-o json: SweepStatusJson).
Status RunSweepStatus(const std::string& name, const std::string& output, kube::RestClient& client,
                      kube::RestMapper& mapper, const std::string& ns, std::chrono::system_clock::time_point now,
                      IoStreams streams);

void SetupSweepCommand(CLI::App* cmd, CommandContext& ctx);

}  // namespace llm

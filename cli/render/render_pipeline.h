// The render pipeline as a library function: intent (a workload, NAME, values
// from flags, --set and files) -> checked manifests. `render` prints its
// result; `serve`/`train --dry-run=client` must call the same function so both
// print the same bytes.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "render/backend.h"
#include "render/sweep_trial.h"
#include "render/template_source.h"
#include "util/result.h"
#include "util/yaml_document.h"

namespace llm {

/// Reads a file the user named (-f, --patch). Injected so tests need no disk.
using ReadFileFn = std::function<Result<std::string>(const std::string& path)>;
/// Reads from the local filesystem.
Result<std::string> ReadLocalFile(const std::string& path);

struct RenderRequest {
  std::string workload;  ///< "serve", "train", "gpu-check"
  std::string name;      ///< NAME
  std::optional<std::string> namespace_;
  std::vector<std::string> value_files;  ///< -f, in order (later files win)
  std::vector<std::string> set_values;   ///< --set path=value, in order
  /// Flags that were given, by value key ("gpus" -> {"8"}), each in command-line order.
  std::map<std::string, std::vector<std::string>> flags;
  std::vector<std::string> patches;    ///< --patch KIND/NAME=FILE
  std::optional<std::string> backend;  ///< --backend
  ServedKinds served;                  ///< from discovery; nullopt for render
  std::vector<std::string> trailing;   ///< words after `--` (train's command)
  /// --require-validated: every pod template requires a node that passed
  /// validate-nodes (required node affinity kubectl-llm.dev/gpu-check In (pass)).
  bool require_validated_nodes = false;
  /// Values the cluster supplies where no flag, --set or -f gave one (serve
  /// and train in a tenant's namespace: its LocalQueue and PriorityClass), by
  /// value key, each with where it came from ("tenant team-a").
  struct ContextDefault {
    std::string value;
    std::string origin;
  };
  std::map<std::string, ContextDefault> context_defaults;
  /// serve --monitor: labels the cluster's Prometheus selects PodMonitors by.
  std::vector<std::pair<std::string, std::string>> pod_monitor_labels;
  /// train --nodes MIN:MAX: the node count to start at (WorkloadRequest::start_nodes).
  std::optional<int> start_nodes;
  /// train as one trial of a sweep (WorkloadRequest::trial).
  std::optional<SweepTrial> trial;
};

/// Renders, parses back and checks every document, applies patches and checks
/// again. `templates` is the embedded set or a --templates directory.
/// `used_context_defaults`, when given, receives the keys of
/// request.context_defaults that were used; `notes`, when given, the plan's
/// notes (RenderPlan::notes).
Result<std::vector<Json>> RenderManifests(const RenderRequest& request, const TemplateSource& templates,
                                          const ReadFileFn& read_file,
                                          std::set<std::string>* used_context_defaults = nullptr,
                                          std::vector<std::string>* notes = nullptr);

}  // namespace llm

// GlobalOptions: flags that every subcommand accepts, before or after its name.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kube/config_flags.h"

namespace llm {

struct GlobalOptions {
  /// kubectl's connection flags and -v (kube.verbosity), parsed by the plugin itself.
  kube::ConfigFlags kube;
  /// The command line as given (without the program name), for the audit trail.
  std::vector<std::string> args;
  /// Whether this run lists flags: help, completion, the man pages, and a run
  /// that names no command (it prints the root's help). It registers every
  /// flag; another run only those its words may name (MayParse): kubectl's
  /// connection flags (kube.AddFlags) and a workload's (AddWorkloadFlags).
  bool lists_flags = false;

  /// Registers kubectl's connection flags on `app`, bound to `kube`: on the
  /// root, and on a command that keeps its own words after NAME (train).
  void AddConnectionFlags(CLI::App& app) {
    kube.AddFlags(app, [this](std::string_view names) { return MayParse(names); });
  }
  /// Whether this run may parse the flag called `names` (CLI11's "-n,--namespace"),
  /// so that a command registers it: CLI11 checks each new flag against all the
  /// others, and serve's thirty-five cost `render serve` a seventh of its instructions.
  bool MayParse(std::string_view names) const { return lists_flags || kube::MayNameFlag(args, names); }
};

}  // namespace llm

// GlobalOptions: flags that every subcommand accepts, before or after its name.
#pragma once

#include <string>
#include <vector>

#include "kube/config_flags.h"

namespace llm {

struct GlobalOptions {
  /// kubectl's connection flags and -v (kube.verbosity), parsed by the plugin itself.
  kube::ConfigFlags kube;
  /// The command line as given (without the program name), for the audit trail.
  std::vector<std::string> args;
  /// The words the connection flags are registered for (kube.AddFlags): args,
  /// or null (every flag) for a run that lists flags: help, completion, the
  /// man pages, and one that names no command (it prints the root's help).
  const std::vector<std::string>* connection_flag_words = nullptr;
};

}  // namespace llm

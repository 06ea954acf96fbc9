// GlobalOptions: flags that every subcommand accepts, before or after its name.
#pragma once

#include "kube/config_flags.h"

namespace llm {

struct GlobalOptions {
  /// kubectl's connection flags and -v (kube.verbosity), parsed by the plugin itself.
  kube::ConfigFlags kube;
};

}  // namespace llm

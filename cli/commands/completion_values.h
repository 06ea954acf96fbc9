// What `__complete` offers for a flag's value or a positional word, beyond
// command and flag names: fixed values (-o's formats, --dry-run, --backend,
// --engine, --mode, --cascade), names from the kubeconfig (--context,
// --cluster, --user), names from the cluster (-n's namespaces, the workloads
// for NAME, the nodes for NODE, --gpu-product's products), and file or
// directory names for the flags that take them (-f, --patch, --kubeconfig,
// --templates ...). The cluster is asked with a short timeout, and a failure
// offers nothing and prints nothing: completion never hangs or spews.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "util/cli11_forward.h"

namespace llm {

/// Cobra's ShellCompDirective values, which kubectl and our scripts read.
inline constexpr int kCompleteFiles = 0;      ///< ShellCompDirectiveDefault: the shell offers file names
inline constexpr int kCompleteNoFiles = 4;    ///< ShellCompDirectiveNoFileComp
inline constexpr int kCompleteDirsOnly = 16;  ///< ShellCompDirectiveFilterDirs

/// Lookups that need the kubeconfig or the cluster; each returns nothing on failure.
struct CompletionSources {
  std::function<std::vector<std::string>(const std::string& ns)> workloads;
  std::function<std::vector<std::string>()> namespaces;
  std::function<std::vector<std::string>()> nodes;
  std::function<std::vector<std::string>()> gpu_products;
  /// "contexts", "clusters" or "users" of the merged kubeconfig.
  std::function<std::vector<std::string>(std::string_view what)> kubeconfig_names;
};

struct CompletionValues {
  std::vector<std::string> candidates;
  int directive = kCompleteNoFiles;
};

/// The values of `option` of `command` (its long name decides).
CompletionValues FlagValues(const CLI::App& command, const CLI::Option& option, const CompletionSources& sources);

/// The values of the positional word `positional` (e.g. "NAME", "NODE") of
/// `command`, in namespace `ns` ("" for the kubeconfig's).
CompletionValues PositionalValues(const CLI::App& command, const std::string& positional, const std::string& ns,
                                  const CompletionSources& sources);

/// The sources as the plugin runs them: the kubeconfig and cluster chosen by
/// the global flags among `args` (--kubeconfig, --context, -s ...), each
/// request bounded by 2 s.
CompletionSources ClusterCompletionSources(const std::vector<std::string>& args);

}  // namespace llm

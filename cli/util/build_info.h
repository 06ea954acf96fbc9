// BuildInfo: the plugin's version and the source commit it was built from.
#pragma once

#include <string>

namespace llm {

struct BuildInfo {
  std::string version;     ///< "v0.1.0"
  std::string git_commit;  ///< short commit id, or "unknown" outside a git checkout
  std::string tree_state;  ///< "clean" or "dirty"
};

/// Defined in the build_info.cpp that cmake/WriteBuildInfo.cmake generates.
const BuildInfo& GetBuildInfo();

}  // namespace llm

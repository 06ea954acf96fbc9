#include "kube/user_agent.h"

#include <fmt/format.h>

#include "util/build_info.h"

namespace llm::kube {

std::string Platform() {
#if defined(__linux__)
  const char* os = "linux";
#elif defined(__APPLE__)
  const char* os = "darwin";
#else
  const char* os = "unknown";
#endif
#if defined(__x86_64__)
  const char* arch = "amd64";
#elif defined(__aarch64__)
  const char* arch = "arm64";
#else
  const char* arch = "unknown";
#endif
  return fmt::format("{}/{}", os, arch);
}

std::string UserAgent() { return fmt::format("kubectl-llm/{} ({})", GetBuildInfo().version, Platform()); }

}  // namespace llm::kube

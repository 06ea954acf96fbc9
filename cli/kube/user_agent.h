// The User-Agent every request carries. The API server derives the field
// manager of non-apply writes from it, so it starts with our name.
#pragma once

#include <string>

namespace llm::kube {

/// "linux/amd64", as Go's GOOS/GOARCH.
std::string Platform();
/// "kubectl-llm/v0.1.0 (linux/amd64)".
std::string UserAgent();

}  // namespace llm::kube

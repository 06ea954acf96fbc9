// Stopping and starting the local control plane's kube-apiserver mid-test:
// killed as a crash would (SIGKILL: every connection drops at once), then
// started again with the command line up.sh gave it, its pid recorded where
// down.sh looks.
#pragma once

#include <string>
#include <vector>

namespace llm::testing {

/// Kills the API server; returns its command line, for StartApiServer.
std::vector<std::string> KillApiServer();

/// Starts the API server with `argv` and returns once it answers /readyz (the
/// test fails after 120 s).
void StartApiServer(std::vector<std::string> argv);

}  // namespace llm::testing

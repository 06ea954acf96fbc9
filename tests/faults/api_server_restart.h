// Stopping and starting the local control plane's daemons mid-test: killed as
// a crash would (SIGKILL: every connection drops at once), then started again
// with the command line up.sh gave them, their pids recorded where down.sh
// looks.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace llm::testing {

/// Kills the API server; returns its command line, for StartApiServer.
std::vector<std::string> KillApiServer();

/// Starts the API server with `argv` and returns once it answers /readyz (the
/// test fails after 120 s).
void StartApiServer(std::vector<std::string> argv);

/// The controller manager, the scheduler and kwok killed and started again,
/// as fresh processes, and Kueue when a test started it (its pod webhook
/// refuses pods whose owner its stale cache lacks); returns once they act on
/// new objects, and how long that took. A restarted API server answers
/// /readyz before its RBAC caches are filled: the controllers' watches are
/// refused (403) and their reflectors back off, up to a minute each and longer
/// after several restarts in a row (measured here: 89 and 103 s before a new
/// Deployment got its pod), so a command rerun then would time out for the
/// control plane's sake. Waits until RBAC allows the controllers, restarts
/// them, and checks with a Deployment and a Job of its own in `ns` (one pod
/// each, on cpu-node-0, deleted after) that they get their pods within 15 s
/// (1 s as a rule); a start that does not (kwok once stayed idle for 4
/// minutes) is restarted, up to 4 times, then the test fails.
std::chrono::seconds RestartControllers(const std::string& ns);

}  // namespace llm::testing

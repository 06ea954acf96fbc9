// ClusterSession: what a command that reads the cluster needs, built once:
// the client, the namespace, discovery (disk-cached like kubectl's) and a
// RestMapper over it. Commands take the parts (RestClient&, RestMapper&) so
// their unit tests can hand in fakes.
#pragma once

#include <memory>

#include "commands/command.h"
#include "kube/client_factory.h"
#include "kube/discovery.h"
#include "kube/rest_mapper.h"
#include "util/clock.h"
#include "util/file_system.h"

namespace llm {

struct ClusterSession {
  kube::Connection connection;
  std::unique_ptr<DiskFileSystem> files;
  std::unique_ptr<SystemClock> clock;
  std::unique_ptr<kube::Discovery> discovery;
  std::unique_ptr<kube::RestMapper> mapper;

  kube::RestClient& client() { return *connection.client; }
  const std::string& ns() const { return connection.config.ns; }
};

Result<std::unique_ptr<ClusterSession>> OpenClusterSession(const CommandContext& ctx);

}  // namespace llm

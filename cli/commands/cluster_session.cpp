#include "commands/cluster_session.h"

#include "util/environment.h"

namespace llm {

Result<std::unique_ptr<ClusterSession>> OpenClusterSession(const CommandContext& ctx) {
  auto session = std::make_unique<ClusterSession>();
  LLM_ASSIGN_OR_RETURN(session->connection, kube::Connect(ctx.global.kube, ctx.streams));
  session->files = std::make_unique<DiskFileSystem>();
  session->clock = std::make_unique<SystemClock>();
  kube::DiscoveryOptions options;
  options.server_url = session->connection.config.server;
  options.cache_root = kube::ResolveCacheDir(ctx.global.kube, ProcessGetenv());
  session->discovery = std::make_unique<kube::Discovery>(*session->connection.client, session->files.get(),
                                                         *session->clock, options);
  session->mapper = std::make_unique<kube::RestMapper>(*session->discovery);
  return session;
}

}  // namespace llm

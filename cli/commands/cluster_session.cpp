#include "commands/cluster_session.h"

#include <string_view>

#include "kube/apply_set.h"
#include "render/k8s_names.h"
#include "util/build_info.h"
#include "util/environment.h"

namespace llm {

ClusterSession::ClusterSession(std::shared_ptr<kube::RestClient> client, std::string ns, bool namespace_explicit,
                               kube::DiscoveryOptions discovery_options, std::shared_ptr<Clock> clock,
                               std::shared_ptr<FileSystem> files)
    : client_(std::move(client)),
      ns_(std::move(ns)),
      namespace_explicit_(namespace_explicit),
      server_(discovery_options.server_url),
      clock_(std::move(clock)),
      files_(std::move(files)),
      discovery_(*client_, files_.get(), *clock_, std::move(discovery_options)),
      mapper_(discovery_),
      waiter_(*client_, *clock_),
      applier_(*client_, mapper_, waiter_) {}

Result<std::unique_ptr<ClusterSession>> ClusterSession::Open(const kube::ConfigFlags& flags, IoStreams streams,
                                                             const kube::ClientEnvironment& environment) {
  LLM_RETURN_IF_ERROR(CheckNamespaceFlag(flags.ns));
  LLM_ASSIGN_OR_RETURN(kube::Connection connection, kube::Connect(flags, streams, environment));
  kube::DiscoveryOptions options;
  options.server_url = connection.config.server;
  options.cache_root = kube::ResolveCacheDir(flags, ProcessGetenv());
  auto session = std::make_unique<ClusterSession>(connection.client, connection.config.ns,
                                                  connection.config.namespace_explicit, std::move(options),
                                                  std::make_shared<SystemClock>(), std::make_shared<DiskFileSystem>());
  session->set_context(connection.config.context_name);
  return session;
}

Result<ServedKinds> ClusterSession::Served() {
  std::set<std::string, std::less<>> served;
  for (std::string_view group_kind : {kLeaderWorkerSetKind, kJobSetKind, kScaledObjectKind, kPodMonitorKind}) {
    const size_t slash = group_kind.find('/');
    kube::GroupKind gk{std::string(group_kind.substr(0, slash)), std::string(group_kind.substr(slash + 1))};
    LLM_ASSIGN_OR_RETURN(bool has, mapper_.HasGroupKind(gk));
    if (has) served.insert(std::string(group_kind));
  }
  return ServedKinds(std::move(served));
}

kube::ApplierOptions WorkloadApplierOptions(const std::string& ns, bool dry_run) {
  kube::ApplierOptions options;
  options.default_namespace = ns;
  options.dry_run = dry_run;
  options.tooling = kube::ApplySetTooling(GetBuildInfo().version);
  // The rendered manifests carry a replica count or autoscaler bounds only
  // when the user gave them (--replicas, --autoscale), so where `scale`, kubectl
  // scale or an autoscaler holds them the user's explicit value is taken.
  options.force_fields = {".spec.replicas", ".spec.minReplicas", ".spec.maxReplicas", ".spec.minReplicaCount",
                          ".spec.maxReplicaCount"};
  return options;
}

}  // namespace llm

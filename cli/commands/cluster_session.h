// ClusterSession: what the commands that talk to a cluster share: a client,
// the namespace to use, discovery with its disk cache, a RestMapper, a Waiter
// and an Applier, built once per command run. Commands take the parts
// (RestClient&, RestMapper&) so their unit tests can hand in fakes.
#pragma once

#include <memory>
#include <string>

#include "commands/command.h"
#include "kube/applier.h"
#include "kube/client_factory.h"
#include "kube/discovery.h"
#include "kube/rest_mapper.h"
#include "kube/waiter.h"
#include "render/backend.h"
#include "util/clock.h"
#include "util/file_system.h"
#include "util/io_streams.h"
#include "util/result.h"

namespace llm {

class ClusterSession {
 public:
  /// `files` may be null (no discovery cache).
  ClusterSession(std::shared_ptr<kube::RestClient> client, std::string ns, bool namespace_explicit,
                 kube::DiscoveryOptions discovery_options, std::shared_ptr<Clock> clock,
                 std::shared_ptr<FileSystem> files);

  /// Connects as kubectl would, from the global flags and the environment:
  /// the one way every command reaches a cluster. `environment` raises the
  /// client-side rate limit for bulk commands (validate-nodes).
  static Result<std::unique_ptr<ClusterSession>> Open(
      const kube::ConfigFlags& flags, IoStreams streams,
      const kube::ClientEnvironment& environment = kube::ClientEnvironment());

  kube::RestClient& client() { return *client_; }
  /// For parts that outlive a call (validate-nodes' watch threads).
  std::shared_ptr<kube::RestClient> shared_client() const { return client_; }
  const std::string& ns() const { return ns_; }
  const std::string& server() const { return server_; }
  /// The kubeconfig context in use ("" in-cluster or with --server alone).
  const std::string& context() const { return context_; }
  void set_context(std::string context) { context_ = std::move(context); }
  bool namespace_explicit() const { return namespace_explicit_; }
  kube::RestMapper& mapper() { return mapper_; }
  kube::Waiter& waiter() { return waiter_; }
  kube::Applier& applier() { return applier_; }
  Clock& clock() { return *clock_; }

  /// The optional kinds the server serves (LeaderWorkerSet, JobSet, ScaledObject), for backend choice.
  Result<ServedKinds> Served();

 private:
  std::shared_ptr<kube::RestClient> client_;
  std::string ns_;
  bool namespace_explicit_;
  std::string server_;
  std::string context_;
  std::shared_ptr<Clock> clock_;
  std::shared_ptr<FileSystem> files_;
  kube::Discovery discovery_;
  kube::RestMapper mapper_;
  kube::Waiter waiter_;
  kube::Applier applier_;
};

/// ApplierOptions for a workload's ApplySet in `ns` (tooling annotation of this build).
kube::ApplierOptions WorkloadApplierOptions(const std::string& ns, bool dry_run);

}  // namespace llm

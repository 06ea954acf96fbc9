#include "commands/controller_liveness.h"

#include <string>

namespace llm {
namespace {

/// The object, or (nullopt, "") when it does not exist, or (nullopt, why) when it cannot be read.
void Read(kube::RestClient& client, const kube::ResourceRef& ref, std::optional<nlohmann::json>& object,
          std::string& error) {
  auto got = client.Get(ref);
  if (got.ok()) {
    object = std::move(*got);
  } else if (got.error().kind() != ErrorKind::kNotFound) {
    error = got.error().message();
  }
}

}  // namespace

ControllerLiveness CheckControllerLiveness(kube::RestClient& client, const WorkloadController& c,
                                           std::chrono::system_clock::time_point now) {
  ControllerEvidence evidence;
  const std::string ns(c.ns);
  Read(client, kube::ResourceRef{"apps", "v1", "deployments", ns, std::string(c.deployment), ""}, evidence.deployment,
       evidence.deployment_error);
  Read(client, kube::ResourceRef{"coordination.k8s.io", "v1", "leases", ns, std::string(c.lease), ""}, evidence.lease,
       evidence.lease_error);
  return JudgeController(c, evidence, now);
}

}  // namespace llm

#include "workload/workload_controller.h"

#include <fmt/format.h>

#include "kube/object_fields.h"
#include "output/human_duration.h"
#include "util/rfc3339.h"

namespace llm {
namespace {

using nlohmann::json;

std::string Where(const WorkloadController& c) { return fmt::format("(kubectl get deployment,pods -n {})", c.ns); }

/// "its leader election Lease jobset-system/NAME was renewed 3s ago by HOLDER"
/// and whether that renewal is within the Lease's duration.
struct LeaseReading {
  bool fresh = false;
  std::string text;
};

LeaseReading ReadLease(const WorkloadController& c, const json& lease, std::chrono::system_clock::time_point now) {
  const std::string name = fmt::format("its leader election Lease {}/{}", c.ns, c.lease);
  const std::string holder = StringAt(lease, {"spec", "holderIdentity"});
  const auto renewed = ParseRfc3339Exact(StringAt(lease, {"spec", "renewTime"}));
  if (holder.empty() || !renewed) return {false, name + " has no holder"};
  const json& spec = lease["spec"];
  const auto duration = std::chrono::seconds(spec.value("leaseDurationSeconds", int64_t{15}));
  const auto ago = now > *renewed ? now - *renewed : std::chrono::system_clock::duration::zero();
  return {ago <= duration, fmt::format("{} was {} {} ago by {}", name, ago <= duration ? "renewed" : "last renewed",
                                       HumanDuration(ago), holder)};
}

}  // namespace

const std::vector<WorkloadController>& WorkloadControllers() {
  // Namespaces, Deployments and Lease names as each project's release
  // manifests (config/default: namePrefix, namespace) and defaults set them.
  static const std::vector<WorkloadController> kControllers = {
      {"jobset.x-k8s.io", "JobSet", "jobsets", "the JobSet controller", "jobset-system", "jobset-controller-manager",
       "6d4f6a47.jobset.x-k8s.io"},
      {"leaderworkerset.x-k8s.io", "LeaderWorkerSet", "leaderworkersets", "the LeaderWorkerSet controller",
       "lws-system", "lws-controller-manager", "b8b2488c.x-k8s.io"},
  };
  return kControllers;
}

const WorkloadController* ControllerOf(std::string_view group, std::string_view resource) {
  for (const WorkloadController& c : WorkloadControllers()) {
    if (c.group == group && c.resource == resource) return &c;
  }
  return nullptr;
}

std::string_view StateWords(ControllerState state) {
  switch (state) {
    case ControllerState::kRunning:
      return "runs";
    case ControllerState::kNotRunning:
      return "is not running";
    case ControllerState::kUnknown:
      break;
  }
  return "may or may not run";
}

ControllerLiveness JudgeController(const WorkloadController& c, const ControllerEvidence& evidence,
                                   std::chrono::system_clock::time_point now) {
  const std::string deployment = fmt::format("Deployment {}/{}", c.ns, c.deployment);
  const std::string lease_name = fmt::format("its leader election Lease {}/{}", c.ns, c.lease);
  LeaseReading lease;
  if (evidence.lease) lease = ReadLease(c, *evidence.lease, now);
  if (lease.fresh) return {ControllerState::kRunning, lease.text};
  std::string deployment_text;
  if (evidence.deployment) {
    const json& d = *evidence.deployment;
    const int64_t ready = IntAt(d, {"status", "readyReplicas"});
    const int64_t want = IntAt(d, {"spec", "replicas"}, 1);
    deployment_text = fmt::format("{} has {} of {} pods ready", deployment, ready, want);
    if (ready > 0) return {ControllerState::kRunning, deployment_text};
  } else if (evidence.deployment_error.empty()) {
    deployment_text = "there is no " + deployment;
  }
  std::string lease_text = lease.text;
  if (!evidence.lease && evidence.lease_error.empty())
    lease_text = fmt::format("there is no leader election Lease {}/{}", c.ns, c.lease);
  const bool deployment_read = evidence.deployment || evidence.deployment_error.empty();
  const bool lease_read = evidence.lease || evidence.lease_error.empty();
  if (deployment_read && lease_read) {
    return {ControllerState::kNotRunning, fmt::format("{}, and {} {}", deployment_text, lease_text, Where(c))};
  }
  std::vector<std::string> unread;
  if (!deployment_read) unread.push_back(fmt::format("{} ({})", deployment, evidence.deployment_error));
  if (!lease_read) unread.push_back(fmt::format("{} ({})", lease_name, evidence.lease_error));
  const std::string known = deployment_read ? deployment_text : lease_read ? lease_text : "";
  return {ControllerState::kUnknown,
          fmt::format("cannot read {}{}; whoever may read namespace {} can look {}", fmt::join(unread, " or "),
                      known.empty() ? "" : "; " + known, c.ns, Where(c))};
}

bool NotReconciled(const json& workload, const json& pods) {
  const bool no_status = !workload.contains("status") || workload["status"].empty();
  return no_status && ItemsOf(pods).empty();
}

}  // namespace llm

// Which pods of a workload show a stall that waiting will not end: the kubelet
// has given up for now and backs off (a container waits in CrashLoopBackOff,
// ImagePullBackOff, InvalidImageName or ErrImageNeverPull). `--wait` reports
// those at once rather than at its timeout, as skaffold's status check does.
// A first ErrImagePull is not counted (a registry hiccup may pass), nor a
// Job's failed pod (the Job's backoffLimit decides), nor Unschedulable or a
// pending claim (an autoscaler or a provisioner may still act).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace llm {

/// The back-off reason of the first such container (init containers first), or "".
std::string KubeletBackOffReason(const nlohmann::json& pod);

/// Whether the pod was made from a current pod template of `workload` (any
/// kind: Deployment, Job, JobSet, LeaderWorkerSet): its labels and annotations
/// include the template's, and its containers that the template names have
/// the template's image, command, args, env and resources. Pods left from
/// before a re-apply (a new image, more memory, `rollout restart`'s
/// annotation), which may have fixed them, were not; containers no template
/// names (an injected sidecar) are not compared.
bool RunsCurrentTemplate(const nlohmann::json& pod, const nlohmann::json& workload);

/// The pods (PodList or array) that are backing off, not being deleted, and
/// run the current template of `workload` (when it is null, every pod does).
nlohmann::json BackedOffPods(const nlohmann::json& pods, const nlohmann::json& workload);

}  // namespace llm

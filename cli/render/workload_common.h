// Checks and view pieces that serve, train and gpu-check share: the object
// name, labels, scheduling (node selector, tolerations, pull secrets), env,
// volumes and resources. The checks feed each workload's config
// (Build*Config); the view pieces lay a config out (*View), so a flag that two
// workloads share is read, refused and rendered the same way in both.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kube/well_known_names.h"
#include "render/values.h"
#include "render/view_data.h"
#include "util/result.h"

namespace llm {

/// What identifies one rendered workload.
struct WorkloadMeta {
  std::string name;                       ///< NAME from the command line
  std::optional<std::string> namespace_;  ///< -n; absent means the context's namespace
  std::string app;                        ///< app.kubernetes.io/name (engine, "torchrun" ...)
  std::string component;                  ///< app.kubernetes.io/component: serve, train, gpu-check
};

/// Bad flags or values: main maps it to exit code 2.
Error Usage(std::string message);

/// An integer in [min, max], or `fallback` when unset.
Result<int> IntOr(const Values& values, std::string_view key, long long min, long long max, int fallback);

/// Refuses NAME unless it is a DNS-1035 label (it names a Service or a pod's
/// hostname) short enough that the `suffix_length` characters the workload or
/// its controller appends (`what_appends` says which) keep every derived name
/// within 63 characters.
Status CheckWorkloadName(std::string_view name, size_t suffix_length, std::string_view what_appends);

/// Refuses anything but a DNS-1123 subdomain (object names such as Secrets, PVCs).
Status CheckObjectName(std::string_view name, std::string_view origin);

/// A value naming an existing object (PriorityClass, node): a DNS-1123
/// subdomain, or nullopt when unset.
Result<std::optional<std::string>> ObjectNameValue(const Values& values, std::string_view key);

/// A Kueue LocalQueue name (a non-empty label value), or nullopt when unset.
Result<std::optional<std::string>> KueueQueue(const Values& values, std::string_view key);

/// Sets name, namespace, labels, objectLabels and selectorLabels
/// (templates/common/_metadata and the selectors).
void AddMetaView(const WorkloadMeta& meta, ViewData& view);

/// Sets `workload`: the metadata context of the object Kueue admits (the
/// Deployment, JobSet ...), the only one that carries the queue-name label
/// (and `extra_labels`, e.g. a sweep trial's).
void AddWorkloadObjectView(const WorkloadMeta& meta, const std::optional<std::string>& queue, ViewData& view,
                           const std::vector<std::pair<std::string, std::string>>& extra_labels = {});

/// The four app.kubernetes.io labels, sorted by key.
std::vector<std::pair<std::string, std::string>> StandardLabels(const WorkloadMeta& meta);
/// Component and instance: what selects the workload's pods (Deployment and
/// Service selectors, topology spread). Never the engine or tool labels, so an
/// engine change keeps the selector, which a Deployment may not change.
std::vector<std::pair<std::string, std::string>> SelectorLabels(const WorkloadMeta& meta);

/// nodeSelector (validated label syntax), plus nvidia.com/gpu.product when given.
Result<std::map<std::string, std::string>> NodeSelector(const Values& values, std::string_view selector_key,
                                                        std::string_view product_key);

/// One toleration; the operator is Equal when a value is given, else Exists.
struct Toleration {
  std::string key;  ///< "" with no value: every taint (of `effect`)
  std::optional<std::string> value;
  std::optional<std::string> effect;  ///< nullopt: every effect
};

/// Tolerations from `key[=value][:Effect]` strings; the GPU taint (nvidia.com/gpu,
/// Exists) is tolerated first unless the user wrote their own toleration for that key.
Result<std::vector<Toleration>> Tolerations(const Values& values, std::string_view key);

/// imagePullSecrets names (DNS-1123 subdomains).
Result<std::vector<std::string>> ImagePullSecrets(const Values& values, std::string_view key);

/// Where a workload's pods may run and what they may pull, checked.
struct PodScheduling {
  std::map<std::string, std::string> node_selector;
  std::vector<Toleration> tolerations;
  std::vector<std::string> image_pull_secrets;
  std::optional<std::string> priority_class;
};

/// Sets the keys of templates/common/_scheduling.
void AddSchedulingView(const PodScheduling& scheduling, ViewData& view);

/// User env, in name order: names checked, and names in `reserved` refused
/// because the workload sets them itself.
Result<std::vector<std::pair<std::string, std::string>>> UserEnv(const Values& values, std::string_view key,
                                                                 const std::vector<std::string>& reserved);

/// One env item: a literal value, a downward-API field, or a Secret key.
ViewData EnvValue(std::string name, std::string value);
ViewData EnvField(std::string name, std::string field_path);
ViewData EnvSecret(std::string name, std::string secret, std::string key);

/// "PVC:MOUNT" (an absolute path), both checked.
struct VolumeClaimMount {
  std::string claim;
  std::string mount_path;
};
Result<std::optional<VolumeClaimMount>> ClaimMount(const Values& values, std::string_view key);

/// A container image reference ([registry/]repository[:tag][@digest]): the
/// characters of the reference grammar only, starting with a letter or digit.
Result<std::optional<std::string>> ImageReference(const Values& values, std::string_view key);

/// A positive quantity, or nullopt when unset; `fallback` when unset and given.
Result<std::optional<std::string>> Quantity(const Values& values, std::string_view key,
                                            std::optional<std::string> fallback = std::nullopt);

}  // namespace llm

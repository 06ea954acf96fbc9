// Checks and view pieces that serve, train and gpu-check share: the object
// name, labels, scheduling (node selector, tolerations, pull secrets), env,
// volumes and resources.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "render/values.h"
#include "render/view_data.h"
#include "util/result.h"

namespace llm {

inline constexpr std::string_view kManagedBy = "kubectl-llm";
inline constexpr std::string_view kGpuResource = "nvidia.com/gpu";

/// What identifies one rendered workload.
struct WorkloadMeta {
  std::string name;                      ///< NAME from the command line
  std::optional<std::string> namespace_;  ///< -n; absent means the context's namespace
  std::string app;                       ///< app.kubernetes.io/name (engine, "torchrun" ...)
  std::string component;                 ///< app.kubernetes.io/component: serve, train, gpu-check
};

/// Refuses NAME unless it is a DNS-1035 label (it names a Service or a pod's
/// hostname) short enough that the `suffix_length` characters the workload or
/// its controller appends (`what_appends` says which) keep every derived name
/// within 63 characters.
Status CheckWorkloadName(std::string_view name, size_t suffix_length, std::string_view what_appends);

/// Refuses anything but a DNS-1123 subdomain (object names such as Secrets, PVCs).
Status CheckObjectName(std::string_view name, std::string_view origin);

/// Sets name, namespace, labels, selectorLabels and the booleans templates test.
void AddMetaView(const WorkloadMeta& meta, ViewData& view);

/// The four app.kubernetes.io labels, sorted by key.
std::vector<std::pair<std::string, std::string>> StandardLabels(const WorkloadMeta& meta);

/// nodeSelector (validated label syntax), plus nvidia.com/gpu.product when given.
Result<std::map<std::string, std::string>> NodeSelector(const Values& values, std::string_view selector_key,
                                                       std::string_view product_key);

/// Tolerations from `key[=value][:Effect]` strings; the GPU taint (nvidia.com/gpu,
/// Exists) is tolerated unless the user wrote their own toleration for that key.
Result<ViewData> Tolerations(const Values& values, std::string_view key);

/// imagePullSecrets names (DNS-1123 subdomains).
Result<ViewData> ImagePullSecrets(const Values& values, std::string_view key);

/// User env (name checked; names in `reserved` are refused because the
/// workload sets them) as {name, value} items appended to `env`.
Status AppendUserEnv(const Values& values, std::string_view key, const std::vector<std::string>& reserved,
                     ViewData& env);

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

/// A string value that must be a single line of printable text (image names,
/// model ids, URLs): refuses control characters, which no such value contains.
Result<std::optional<std::string>> SingleLine(const Values& values, std::string_view key);

}  // namespace llm

#include "render/workload_common.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "kube/well_known_names.h"
#include "render/k8s_names.h"
#include "render/quantity.h"

namespace llm {
namespace {

/// Sets every key templates/common/_env tests, the unused ones false: a
/// missing key would be looked up in the enclosing context (view_data.h).
ViewData EnvItem(std::string name, ViewData value, ViewData field_path, ViewData secret_name) {
  ViewData item;
  ViewSet(item, "name", std::move(name));
  ViewSet(item, "value", std::move(value));
  ViewSet(item, "fieldPath", std::move(field_path));
  ViewSet(item, "secretName", std::move(secret_name));
  return item;
}

}  // namespace

Error Usage(std::string message) { return Error(ErrorKind::kUsage, std::move(message)); }

Result<int> IntOr(const Values& values, std::string_view key, long long min, long long max, int fallback) {
  LLM_ASSIGN_OR_RETURN(std::optional<long long> value, values.Int(key, min, max));
  return value ? static_cast<int>(*value) : fallback;
}

Status CheckWorkloadName(std::string_view name, size_t suffix_length, std::string_view what_appends) {
  if (!IsDns1035Label(name)) {
    return Usage(
        fmt::format("NAME '{}' must be a DNS-1035 label: lower-case letters, digits and '-', starting "
                    "with a letter and ending with a letter or digit, at most 63 characters",
                    name));
  }
  const size_t max = 63 - suffix_length;
  if (name.size() > max) {
    return Usage(fmt::format("NAME '{}' has {} characters; {} ({} characters), so NAME may have at most {}", name,
                             name.size(), what_appends, suffix_length, max));
  }
  return Ok();
}

Status CheckObjectName(std::string_view name, std::string_view origin) {
  if (IsDns1123Subdomain(name)) return Ok();
  return Usage(
      fmt::format("{}: '{}' is not a valid object name (lower-case letters, digits, '-' and '.', "
                  "starting and ending with a letter or digit, at most 253 characters)",
                  origin, name));
}

Result<std::optional<std::string>> ObjectNameValue(const Values& values, std::string_view key) {
  std::optional<std::string> name = values.String(key);
  if (name) LLM_RETURN_IF_ERROR(CheckObjectName(*name, values.Origin(key)));
  return name;
}

Result<std::optional<std::string>> KueueQueue(const Values& values, std::string_view key) {
  std::optional<std::string> queue = values.String(key);
  if (queue) {
    if (queue->empty()) return Usage(fmt::format("{}: must not be empty", values.Origin(key)));
    LLM_RETURN_IF_ERROR(CheckLabelValue(*queue, values.Origin(key)));
  }
  return queue;
}

std::vector<std::pair<std::string, std::string>> StandardLabels(const WorkloadMeta& meta) {
  return {{std::string(kComponentLabel), meta.component},
          {std::string(kInstanceLabel), meta.name},
          {std::string(kManagedByLabel), std::string(kManagedByValue)},
          {std::string(kNameLabel), meta.app}};
}

std::vector<std::pair<std::string, std::string>> SelectorLabels(const WorkloadMeta& meta) {
  return {{std::string(kComponentLabel), meta.component}, {std::string(kInstanceLabel), meta.name}};
}

void AddMetaView(const WorkloadMeta& meta, ViewData& view) {
  ViewSet(view, "name", meta.name);
  ViewSet(view, "namespace", ViewOptional(meta.namespace_));
  ViewSet(view, "labels", ViewPairs(StandardLabels(meta)));
  ViewSet(view, "objectLabels", ViewPairs(StandardLabels(meta)));
  ViewSet(view, "selectorLabels", ViewPairs(SelectorLabels(meta)));
}

void AddWorkloadObjectView(const WorkloadMeta& meta, const std::optional<std::string>& queue, ViewData& view,
                           const std::vector<std::pair<std::string, std::string>>& extra_labels) {
  std::vector<std::pair<std::string, std::string>> labels = StandardLabels(meta);
  if (queue) labels.emplace_back("kueue.x-k8s.io/queue-name", *queue);
  labels.insert(labels.end(), extra_labels.begin(), extra_labels.end());
  ViewSet(view, "workload", ViewData("objectLabels", ViewPairs(labels)));
}

Result<std::map<std::string, std::string>> NodeSelector(const Values& values, std::string_view selector_key,
                                                        std::string_view product_key) {
  std::map<std::string, std::string> selector = values.Map(selector_key);
  const std::string origin = values.Origin(selector_key);
  for (const auto& [k, v] : selector) {
    LLM_RETURN_IF_ERROR(CheckLabelKey(k, origin));
    LLM_RETURN_IF_ERROR(CheckLabelValue(v, origin));
  }
  if (!product_key.empty()) {
    if (std::optional<std::string> product = values.String(product_key)) {
      LLM_RETURN_IF_ERROR(CheckLabelValue(*product, values.Origin(product_key)));
      if (!product->empty()) selector[std::string(kGpuProductLabel)] = *product;
    }
  }
  return selector;
}

Result<std::vector<Toleration>> Tolerations(const Values& values, std::string_view key) {
  const std::string origin = values.Origin(key);
  std::vector<Toleration> list;
  bool gpu_taint_covered = false;
  for (const std::string& text : values.List(key)) {
    // key[=value][:Effect], the syntax of `kubectl taint`.
    Toleration toleration{text, std::nullopt, std::nullopt};
    std::string& rest = toleration.key;
    if (const size_t colon = rest.rfind(':'); colon != std::string::npos) {
      toleration.effect = rest.substr(colon + 1);
      rest.resize(colon);
      const std::string& effect = *toleration.effect;
      if (effect != "NoSchedule" && effect != "PreferNoSchedule" && effect != "NoExecute") {
        return Usage(
            fmt::format("{}: '{}': the effect must be NoSchedule, PreferNoSchedule or NoExecute "
                        "(syntax key[=value][:effect])",
                        origin, text));
      }
    }
    if (const size_t eq = rest.find('='); eq != std::string::npos) {
      toleration.value = rest.substr(eq + 1);
      rest.resize(eq);
      LLM_RETURN_IF_ERROR(CheckLabelValue(*toleration.value, origin));
    }
    LLM_RETURN_IF_ERROR(CheckLabelKey(rest, fmt::format("{} '{}' (syntax key[=value][:effect])", origin, text)));
    gpu_taint_covered = gpu_taint_covered || rest == kGpuResource;
    list.push_back(std::move(toleration));
  }
  if (!gpu_taint_covered) list.insert(list.begin(), Toleration{std::string(kGpuResource), std::nullopt, "NoSchedule"});
  return list;
}

Result<std::vector<std::string>> ImagePullSecrets(const Values& values, std::string_view key) {
  std::vector<std::string> names = values.List(key);
  for (const std::string& name : names) LLM_RETURN_IF_ERROR(CheckObjectName(name, values.Origin(key)));
  return names;
}

void AddSchedulingView(const PodScheduling& scheduling, ViewData& view) {
  ViewSet(view, "priorityClass", ViewOptional(scheduling.priority_class));
  ViewSet(view, "hasImagePullSecrets", !scheduling.image_pull_secrets.empty());
  ViewSet(view, "imagePullSecrets", ViewStrings(scheduling.image_pull_secrets));
  ViewSet(view, "hasNodeSelector", !scheduling.node_selector.empty());
  ViewSet(view, "nodeSelector", ViewPairs(scheduling.node_selector));
  ViewData tolerations = ViewList();
  for (const Toleration& t : scheduling.tolerations) {
    ViewData item;
    ViewSet(item, "key", t.key);
    ViewSet(item, "operator", t.value ? "Equal" : "Exists");
    ViewSet(item, "value", ViewOptional(t.value));
    ViewSet(item, "effect", ViewOptional(t.effect));
    ViewAppend(tolerations, std::move(item));
  }
  ViewSet(view, "tolerations", std::move(tolerations));
}

ViewData EnvValue(std::string name, std::string value) {
  return EnvItem(std::move(name), ViewData(std::move(value)), ViewData(false), ViewData(false));
}

ViewData EnvField(std::string name, std::string field_path) {
  return EnvItem(std::move(name), ViewData(false), ViewData(std::move(field_path)), ViewData(false));
}

ViewData EnvSecret(std::string name, std::string secret, std::string key) {
  ViewData item = EnvItem(std::move(name), ViewData(false), ViewData(false), ViewData(std::move(secret)));
  ViewSet(item, "secretKey", std::move(key));
  return item;
}

Result<std::vector<std::pair<std::string, std::string>>> UserEnv(const Values& values, std::string_view key,
                                                                 const std::vector<std::string>& reserved) {
  const std::string origin = values.Origin(key);
  std::vector<std::pair<std::string, std::string>> env;
  for (const auto& [name, value] : values.Map(key)) {
    LLM_RETURN_IF_ERROR(CheckEnvVarName(name, origin));
    if (std::find(reserved.begin(), reserved.end(), name) != reserved.end()) {
      return Usage(fmt::format("{}: {} is set by kubectl llm for this workload; use its flag instead", origin, name));
    }
    env.emplace_back(name, value);
  }
  return env;
}

Result<std::optional<VolumeClaimMount>> ClaimMount(const Values& values, std::string_view key) {
  std::optional<std::string> text = values.String(key);
  if (!text) return std::optional<VolumeClaimMount>();
  const std::string origin = values.Origin(key);
  const size_t colon = text->find(':');
  if (colon == std::string::npos) return Usage(fmt::format("{}: expected PVC:MOUNT, got '{}'", origin, *text));
  VolumeClaimMount mount{text->substr(0, colon), text->substr(colon + 1)};
  LLM_RETURN_IF_ERROR(CheckObjectName(mount.claim, origin));
  if (!mount.mount_path.starts_with('/') || mount.mount_path.find(':') != std::string::npos ||
      std::any_of(mount.mount_path.begin(), mount.mount_path.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20; }) ||
      mount.mount_path.find("/../") != std::string::npos || mount.mount_path.ends_with("/..")) {
    return Usage(
        fmt::format("{}: the mount path '{}' must be an absolute path without ':' or '..'", origin, mount.mount_path));
  }
  return std::optional<VolumeClaimMount>(std::move(mount));
}

Result<std::optional<std::string>> Quantity(const Values& values, std::string_view key,
                                            std::optional<std::string> fallback) {
  std::optional<std::string> text = values.String(key);
  if (!text) return fallback;
  LLM_RETURN_IF_ERROR(CheckPositiveQuantity(*text, values.Origin(key)));
  return text;
}

Result<std::optional<std::string>> ImageReference(const Values& values, std::string_view key) {
  std::optional<std::string> text = values.String(key);
  if (!text) return text;
  const bool ok = !text->empty() && text->size() <= 1024 && std::isalnum(static_cast<unsigned char>(text->front())) &&
                  text->find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:/@-") ==
                      std::string::npos;
  if (!ok) {
    return Usage(fmt::format("{}: '{}' is not an image reference ([registry/]repository[:tag][@digest])",
                             values.Origin(key), *text));
  }
  return text;
}

}  // namespace llm

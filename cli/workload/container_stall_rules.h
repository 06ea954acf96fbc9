// The stall rules about one pod's containers (image pull, OOMKilled, crash
// loop, failing probes) and the pod-reading helpers the rules share with
// stall_diagnosis.cpp, which owns their order. Internal to cli/workload.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "workload/stall_diagnosis.h"

namespace llm::stall {

/// "pod chat-0", or "pod chat-0 (and 2 more)" when `affected` > 1.
std::string PodSubject(const std::string& pod, int affected);
bool IsTrue(const nlohmann::json* condition);   ///< status "True"
bool IsFalse(const nlohmann::json* condition);  ///< status "False"
/// The pod's container statuses, init containers first.
std::vector<const nlohmann::json*> ContainerStatuses(const nlohmann::json& pod);
/// spec.initContainers/containers[name == `name`], or nullptr.
const nlohmann::json* ContainerSpec(const nlohmann::json& pod, std::string_view name);

// Each rule: the diagnosis for `pod` if it applies; `affected` is how many
// pods match, for the sentence ("pod chat-0 (and 2 more) ...").
std::optional<StallDiagnosis> ImagePullRule(const StallEvidence& evidence, const nlohmann::json& pod, int affected);
std::optional<StallDiagnosis> OomRule(const StallEvidence& evidence, const nlohmann::json& pod, int affected);
/// A crash loop or a non-zero exit; a Hugging Face refusal when the given log
/// lines show one; a probe failure when the kubelet restarted the container for
/// a failing liveness or startup probe.
std::optional<StallDiagnosis> CrashRule(const StallEvidence& evidence, const nlohmann::json& pod, int affected);
/// Unhealthy events of a pod that is not Ready.
std::optional<StallDiagnosis> ProbeRule(const StallEvidence& evidence, const nlohmann::json& pod, int affected);

}  // namespace llm::stall
